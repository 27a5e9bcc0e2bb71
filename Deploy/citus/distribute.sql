-- Distributes Charter's schema on a Citus cluster (Citus 12 or newer, PostgreSQL 15 or newer),
-- on the coordinator, as a superuser, after charterd has migrated the database (all of SQL/)
-- and before tenants' data grows:
--
--     psql "postgres://postgres@coordinator/charter" -v ON_ERROR_STOP=1 -f distribute.sql
--
-- Tenant tables are distributed by tenant_id and colocated with each other, so every key and
-- every foreign key (each of which starts with, or includes, tenant_id: check-keys.sh proves it)
-- stays inside one shard group, and one tenant's transaction runs on one worker.
-- Installation tables (no tenant_id) are reference tables, copied to every worker, so tenant
-- tables may keep their foreign keys to charter.tenants. charter.schema_migrations stays a
-- local table of the coordinator, where charterd migrates.
--
-- When a migration adds a table, add it here: the last block refuses to finish while a table
-- of the schema is neither distributed nor a reference table (check-keys.sh also checks that
-- this file names every table of a migrated database).
--
-- Not verified on a Citus cluster in CI (none is available there); what CI proves is the key
-- layout (check-keys.sh) and that this file lists every table. Known limits on Citus:
-- * charter.claim_due_jobs and charter.rescue_expired_leases lock rows across tenants with
--   SELECT ... FOR UPDATE SKIP LOCKED and update by ctid; Citus runs neither across shards.
--   The scheduler needs a Citus variant (one claim per shard group, e.g. by tenant batches)
--   before the daemon runs on a distributed deadline_jobs. The rest of the schema distributes.
-- * Triggers on distributed tables (the append-only guard) need
--   `citus.enable_unsafe_triggers = on` at the coordinator (set below for this session; set it
--   in postgresql.conf so later DDL keeps working). The trigger function only raises, so it is
--   safe to run on shards.
-- * Identity columns (member_register.id, audit_log.id, installation_audit_log.id) must be
--   bigint on Citus, as they are.

begin;

set local citus.enable_unsafe_triggers = on;
-- Row-level security policies are propagated to the shards with the tables.
set local citus.multi_shard_modify_mode = 'sequential';

-- Installation-level tables: one copy on every node.
select create_reference_table('charter.tenants');
select create_reference_table('charter.operators');
select create_reference_table('charter.installation_audit_log');

-- Tenant tables, by tenant_id, all in one colocation group. A table is distributed after the
-- tables its foreign keys reference.
select create_distributed_table('charter.charter_versions', 'tenant_id', colocate_with => 'none');
select create_distributed_table('charter.tenant_administrators', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.members', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.member_register', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.audit_log', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.deadline_jobs', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.notice_outbox', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.notice_attempts', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.delivery_settings', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.notice_templates', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.decisions', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.facts', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.membership_applications', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.body_seats', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.working_groups', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.working_group_members', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.group_applications', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.dissolution_cases', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.meetings', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.meeting_attendance', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.motions', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.ballots', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.office_terms', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.evaluations', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.fee_schedule', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.fee_payments', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.fund_use_publications', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.register_import_batches', 'tenant_id', colocate_with => 'charter.charter_versions');
select create_distributed_table('charter.register_import_chunks', 'tenant_id', colocate_with => 'charter.charter_versions');

-- Refuse to finish when a table of the schema was left out (a migration added one).
do $check$
declare
    missing text;
begin
    select string_agg(c.oid::regclass::text, ', ' order by c.relname) into missing
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'charter' and c.relkind in ('r', 'p')
      and c.relname <> 'schema_migrations'
      and not exists (select 1 from pg_dist_partition p where p.logicalrelid = c.oid);
    if missing is not null then
        raise exception 'not distributed: %', missing
            using hint = 'Add each table to Deploy/citus/distribute.sql: tenant tables with '
                         'create_distributed_table(..., ''tenant_id''), the others with '
                         'create_reference_table.';
    end if;
end
$check$;

commit;
