-- 0001_foundation: tenants, charter versions, members and the member register, administrators,
-- audit logs, deadline jobs and the notice outbox, with row-level security on every tenant table.
--
-- Applied by the migration runner as the owner role (charter_owner), inside one transaction
-- that the runner opens: this file must not contain BEGIN or COMMIT. Once applied it must never
-- change (the runner records its checksum and stops the daemon if it differs); extend the schema
-- with a new numbered file.
--
-- Tenancy model, and why
-- ======================
-- * Two kinds of table. Installation-level tables (tenants, operators, installation_audit_log)
--   have no tenant_id column. Tenant tables have `tenant_id uuid` as the first column of their
--   primary key and of every unique and foreign key: the layout Citus needs to distribute by
--   tenant (RELIABILITY S7), and it means a natural key of tenant B can never collide with, and
--   so never reveal itself to, tenant A (RELIABILITY S5).
-- * The tenant of a transaction is the transaction-local setting `charter.tenant`, set with
--   set_config('charter.tenant', <uuid>, true) right after BEGIN. It dies with the transaction,
--   so a pooled connection can never carry a tenant into the next borrower's transaction
--   (RELIABILITY S4). charter.current_tenant() reads it and returns NULL when it is unset or
--   empty: after a transaction-local set ends, current_setting() returns '' rather than NULL.
-- * Every tenant table has ROW LEVEL SECURITY enabled and FORCED (so the owner is bound too) and
--   one policy `tenant_isolation` whose USING and WITH CHECK are
--   `tenant_id = charter.current_tenant()`. With no tenant set the comparison is NULL, so no row
--   is visible and no row can be written: the default is deny. A row carrying another tenant's
--   id fails WITH CHECK on INSERT and on UPDATE.
-- * Operator (installation-scope) work, e.g. listing or creating tenants, sets the
--   transaction-local `charter.scope = 'installation'`. Only the policies of installation-level
--   tables honour it; no tenant table mentions it. Reasons:
--     - An operator command that wants a tenant's members must enter that tenant explicitly
--       (set charter.tenant), exactly as a tenant administrator does; there is no "see every
--       tenant at once" switch for tenant data, so a bug in an operator code path cannot mix
--       tenants' rows in one result, and the tenant acted upon is always named.
--     - If installation scope opened tenant tables, setting one more variable would undo the
--       whole isolation; keeping it out of tenant policies means the only way to a tenant's rows
--       is that tenant's id.
--     - Inside a tenant, the tenants table shows that tenant's own row (read only), so tenant
--       code can read its own name and time zone without installation scope.
-- * What RLS here is and is not. Any session of the runtime role can call set_config, so these
--   settings are not a barrier against someone who can run arbitrary SQL as the runtime role.
--   They are a backstop against bugs in our Swift code: a query that forgets its WHERE
--   tenant_id, a join that crosses tenants, a pooled connection reused by another tenant. The
--   barriers against arbitrary SQL are the role posture (the runtime role owns nothing, is not
--   superuser, has no BYPASSRLS and cannot SET ROLE to the owner, so it cannot switch RLS off)
--   and parameterised queries. The daemon checks that posture in the catalog at start-up.
-- * Data migrations: with FORCE ROW LEVEL SECURITY the owner is bound by the policies too, so a
--   later migration that must touch every tenant's rows does, in its own transaction,
--   ALTER TABLE ... NO FORCE ROW LEVEL SECURITY, the change, then FORCE again. The start-up
--   posture check refuses to run if the FORCE was forgotten.
-- * Append-only history (member register, audit logs, charter versions): the runtime role is
--   granted only SELECT and INSERT, and a trigger refuses UPDATE and DELETE for everyone,
--   the owner included, so neither a bug nor a careless migration rewrites history.
-- * No view without security_invoker and no LEAKPROOF function: either would let a query see
--   rows the policies hide. The posture check looks for both.

create schema if not exists charter;
grant usage on schema charter to charter_runtime;

-- The tenant of the current transaction, or NULL when none is set (unset or '').
-- SQL, STABLE and without SET clauses so that the planner inlines it into the policies and
-- compares tenant_id with a constant (index scans stay possible). Not LEAKPROOF on purpose.
create function charter.current_tenant() returns uuid
language sql stable parallel safe
as $$ select nullif(pg_catalog.current_setting('charter.tenant', true), '')::uuid $$;

-- True when the transaction declared installation scope; only installation-level tables look.
create function charter.in_installation_scope() returns boolean
language sql stable parallel safe
as $$ select coalesce(pg_catalog.current_setting('charter.scope', true), '') = 'installation' $$;

-- Trigger function for append-only tables: refuses UPDATE and DELETE whoever asks.
create function charter.refuse_history_rewrite() returns trigger
language plpgsql
as $$
begin
    raise exception 'charter.%: history is append-only; % refused', tg_table_name, lower(tg_op)
        using errcode = 'insufficient_privilege',
              hint = 'Record a new entry instead of changing an old one.';
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Installation-level tables
-- ---------------------------------------------------------------------------------------------

create table charter.tenants (
    id uuid primary key default gen_random_uuid(),
    slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name text not null check (length(name) between 1 and 200),
    time_zone text not null default 'Asia/Shanghai',
    -- A branch (分会) whose units must first be members of the parent association (tjsia-ai §2).
    parent_tenant_id uuid references charter.tenants (id),
    created_at timestamptz not null default now(),
    disabled_at timestamptz
);
alter table charter.tenants enable row level security;
alter table charter.tenants force row level security;
create policy installation_scope on charter.tenants
    using (charter.in_installation_scope())
    with check (charter.in_installation_scope());
-- Inside a tenant, that tenant's own row is readable (a SELECT-only policy: no writes).
create policy own_tenant_row on charter.tenants for select
    using (id = charter.current_tenant());
grant select, insert, update on charter.tenants to charter_runtime;

create table charter.operators (
    id uuid primary key default gen_random_uuid(),
    login text not null unique check (login ~ '^[A-Za-z0-9._@-]{1,64}$'),
    display_name text not null,
    password_hash text,
    disabled boolean not null default false,
    failed_login_count integer not null default 0 check (failed_login_count >= 0),
    last_failed_login_at timestamptz,
    locked_until timestamptz,
    must_change_password boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
alter table charter.operators enable row level security;
alter table charter.operators force row level security;
create policy installation_scope on charter.operators
    using (charter.in_installation_scope())
    with check (charter.in_installation_scope());
grant select, insert, update on charter.operators to charter_runtime;

-- Operators' own actions (creating a tenant, logging in). Actions inside a tenant, whoever
-- performs them, go to the tenant's audit_log. target_tenant_id names a tenant acted upon; it
-- is deliberately not called tenant_id: this is not a tenant table.
create table charter.installation_audit_log (
    id bigint generated always as identity primary key,
    occurred_at timestamptz not null default clock_timestamp(),
    actor text not null,
    target_tenant_id uuid,
    command text not null,
    outcome text not null check (outcome in ('succeeded', 'refused', 'failed')),
    detail jsonb not null default '{}'
);
alter table charter.installation_audit_log enable row level security;
alter table charter.installation_audit_log force row level security;
create policy installation_scope on charter.installation_audit_log
    using (charter.in_installation_scope())
    with check (charter.in_installation_scope());
grant select, insert on charter.installation_audit_log to charter_runtime;
create trigger append_only before update or delete on charter.installation_audit_log
    for each row execute function charter.refuse_history_rewrite();

-- ---------------------------------------------------------------------------------------------
-- Tenant tables: tenant_id first in every key, RLS enabled and forced, one isolation policy.
-- ---------------------------------------------------------------------------------------------

-- A tenant's charter profile, versioned: an amendment is a new version with its effective date;
-- decisions record the version they were made under.
create table charter.charter_versions (
    tenant_id uuid not null references charter.tenants (id),
    version integer not null check (version >= 1),
    effective_on date not null,
    profile_text text not null,
    -- Checked against the text, so a recorded checksum can be trusted without recomputing it.
    profile_sha256 text not null
        check (profile_sha256 = encode(sha256(convert_to(profile_text, 'UTF8')), 'hex')),
    note text,
    recorded_at timestamptz not null default now(),
    recorded_by text not null,
    primary key (tenant_id, version),
    unique (tenant_id, effective_on)
);

-- Administrators scoped to one tenant (DESIGN: secretariat, chair's office, read-only).
create table charter.tenant_administrators (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null default gen_random_uuid(),
    login text not null check (login ~ '^[A-Za-z0-9._@-]{1,64}$'),
    display_name text not null,
    role text not null check (role in ('secretariat', 'chairs_office', 'viewer')),
    password_hash text,
    disabled boolean not null default false,
    failed_login_count integer not null default 0 check (failed_login_count >= 0),
    last_failed_login_at timestamptz,
    locked_until timestamptz,
    must_change_password boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    unique (tenant_id, login)
);

-- A member unit or individual (RULES §1). Its status and tier live in the register.
create table charter.members (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null default gen_random_uuid(),
    kind text not null check (kind in ('unit', 'individual')),
    name text not null check (length(name) between 1 and 300),
    -- 统一社会信用代码 of a unit; NULL for individuals.
    credit_code text,
    contact_name text,
    contact_email text,
    contact_phone text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    unique (tenant_id, credit_code)
);

-- 成员名册: every change of a member's status or tier with its date and cause, kept for good
-- (DTPC art. 17). Append-only.
create table charter.member_register (
    tenant_id uuid not null,
    id bigint generated always as identity,
    member_id uuid not null,
    event text not null check (event in (
        'admitted', 'tier_changed', 'suspended', 'reinstated', 'withdrawn', 'expelled',
        'cancelled', 'contact_changed', 'renamed')),
    effective_on date not null,
    tier text,
    status text not null check (status in ('applicant', 'member', 'suspended', 'former')),
    cause text not null,
    charter_version integer,
    recorded_at timestamptz not null default clock_timestamp(),
    recorded_by text not null,
    detail jsonb not null default '{}',
    primary key (tenant_id, id),
    foreign key (tenant_id, member_id) references charter.members (tenant_id, id),
    foreign key (tenant_id, charter_version) references charter.charter_versions (tenant_id, version)
);
create index member_register_by_member on charter.member_register (tenant_id, member_id, id);
create trigger append_only before update or delete on charter.member_register
    for each row execute function charter.refuse_history_rewrite();
create trigger append_only before update or delete on charter.charter_versions
    for each row execute function charter.refuse_history_rewrite();

-- Every command that changes state inside a tenant, and every refusal (RELIABILITY S6).
create table charter.audit_log (
    tenant_id uuid not null references charter.tenants (id),
    id bigint generated always as identity,
    occurred_at timestamptz not null default clock_timestamp(),
    actor text not null,
    actor_kind text not null check (actor_kind in ('operator', 'tenant_administrator', 'system')),
    command text not null,
    outcome text not null check (outcome in ('succeeded', 'refused', 'failed')),
    detail jsonb not null default '{}',
    primary key (tenant_id, id)
);
create index audit_log_by_time on charter.audit_log (tenant_id, occurred_at);
create trigger append_only before update or delete on charter.audit_log
    for each row execute function charter.refuse_history_rewrite();

-- A deadline is a row, written in the same transaction as the event that creates it.
-- Claimed with FOR UPDATE SKIP LOCKED and a lease; a crashed daemon's lease expires.
create table charter.deadline_jobs (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null default gen_random_uuid(),
    kind text not null,
    subject text not null,
    -- Deduplicates creation (RELIABILITY R11); NULL for jobs that need no deduplication.
    unique_key text,
    due_at timestamptz not null,
    payload jsonb not null default '{}',
    state text not null default 'pending'
        check (state in ('pending', 'running', 'done', 'failed', 'dead', 'cancelled')),
    attempts integer not null default 0 check (attempts >= 0),
    max_attempts integer not null default 5 check (max_attempts >= 1),
    lease_owner text,
    lease_expires_at timestamptz,
    last_error text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    finished_at timestamptz,
    primary key (tenant_id, id),
    unique (tenant_id, unique_key),
    check (state <> 'running' or (lease_owner is not null and lease_expires_at is not null))
);
-- The claim query: oldest due pending jobs first, index-ordered whatever the statistics say.
create index deadline_jobs_pending_due on charter.deadline_jobs (due_at) where state = 'pending';
-- The rescue sweep: running jobs whose lease expired.
create index deadline_jobs_running_lease on charter.deadline_jobs (lease_expires_at)
    where state = 'running';

-- Notices to send; the unique key per (tenant, notice) makes a retried job never send twice.
create table charter.notice_outbox (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null default gen_random_uuid(),
    notice_key text not null,
    job_id uuid,
    channel text not null check (channel in ('email', 'webhook', 'dingtalk', 'wecom')),
    recipient text not null,
    subject text not null,
    body text not null,
    attachments jsonb not null default '[]',
    state text not null default 'pending'
        check (state in ('pending', 'sending', 'sent', 'failed', 'dead', 'cancelled')),
    attempts integer not null default 0 check (attempts >= 0),
    next_attempt_at timestamptz not null default now(),
    lease_owner text,
    lease_expires_at timestamptz,
    last_error text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    sent_at timestamptz,
    primary key (tenant_id, id),
    unique (tenant_id, notice_key),
    -- A finished job may be purged; its notices (and their history) stay.
    foreign key (tenant_id, job_id) references charter.deadline_jobs (tenant_id, id)
        on delete set null (job_id)
);
create index notice_outbox_pending_next on charter.notice_outbox (next_attempt_at)
    where state = 'pending';

-- Row-level security on every tenant table, generated from the catalog so that none is missed.
-- Later migrations create the same policy on their new tenant tables explicitly.
do $$
declare
    t regclass;
begin
    for t in
        select c.oid::regclass
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
        where n.nspname = 'charter' and c.relkind in ('r', 'p')
    loop
        execute format('alter table %s enable row level security', t);
        execute format('alter table %s force row level security', t);
        execute format(
            'create policy tenant_isolation on %s '
            'using (tenant_id = charter.current_tenant()) '
            'with check (tenant_id = charter.current_tenant())', t);
    end loop;
end
$$;

-- The runtime role: history tables read and append only; the rest read and write.
grant select, insert on charter.charter_versions, charter.member_register, charter.audit_log
    to charter_runtime;
grant select, insert, update on charter.tenant_administrators, charter.members
    to charter_runtime;
grant select, insert, update, delete on charter.deadline_jobs, charter.notice_outbox
    to charter_runtime;
