-- 0002_scheduler: the deadline scheduler's lease token and its one cross-tenant door.
--
-- Applied by the migration runner as charter_owner in one transaction (no BEGIN/COMMIT here).
--
-- Why a door at all
-- =================
-- deadline_jobs is a tenant table: row-level security is forced on it and the run-time role sees
-- one tenant's rows per transaction. The dispatcher, though, must find the oldest due jobs of
-- every tenant in one index-ordered FOR UPDATE SKIP LOCKED statement. Instead of a setting that
-- would open the table (one set_config away from undoing isolation for any code path), the
-- cross-tenant work is three SECURITY DEFINER functions owned by charter_dispatch, a NOLOGIN
-- role with BYPASSRLS that only a superuser creates (Deploy/postgres/roles.sql):
--   * claim_due_jobs(worker, lease, max_jobs) leases due jobs and returns only
--     (tenant_id, job_id, kind, attempt, lease_token): never a payload or subject;
--   * next_due_at() returns one instant: when the dispatcher next has work;
--   * rescue_expired_leases() puts jobs whose lease expired back to pending (or dead).
-- The payload is then read, and the handler run, in a normal tenant transaction
-- (Database.withTenant), under the tenant_isolation policy like everything else.
-- Each function pins search_path (pg_catalog first, so no object of another schema can stand in
-- for a built-in), validates its arguments, and is executable by charter_runtime only.
-- charter_runtime is not a member of charter_dispatch; charter_owner is, only so that this file
-- can hand the functions over (ALTER ... OWNER TO needs membership, and the new owner needs
-- CREATE on the schema, granted here for the hand-over and revoked at the end). The start-up
-- posture check fails if the run-time role reaches charter_dispatch, if charter_dispatch can log
-- in, or if it owns anything but these three functions.

do $check$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = 'charter_dispatch') then
        raise exception 'role charter_dispatch does not exist'
            using hint = 'Run Deploy/postgres/roles.sql again as a superuser (charterd does it '
                         'itself for its embedded cluster), then start charterd again.';
    end if;
end
$check$;

-- A fresh token per claim: a completion must name the claim it completes, so a runner whose
-- lease expired and whose job was rescued and claimed again cannot complete it (RELIABILITY R9).
alter table charter.deadline_jobs add column lease_token uuid;

grant usage on schema charter to charter_dispatch;
grant select, update on charter.deadline_jobs to charter_dispatch;

-- Leases up to max_jobs due pending jobs, oldest due first, for `worker` (a daemon instance id).
-- `due_at <= now()` compares with the database clock (RELIABILITY R8). now() is STABLE, so it is
-- an index condition on deadline_jobs_pending_due and the scan stops at the first job not yet
-- due; clock_timestamp() would be a filter and walk every future job.
--
-- The plan (PLATFORM.md: a peer queue's cached one-row plan scanned the whole table per claim):
-- * PL/pgSQL caches its statements' plans and may switch to a generic plan, in which max_jobs
--   is unknown (the planner guesses 10 % of the table). plan_cache_mode = force_custom_plan
--   plans every call with the actual values.
-- * The rows to lease are found by walking the partial index in due order; enable_seqscan and
--   enable_bitmapscan off (only while this function runs) keep the planner from a table scan
--   and sort when the statistics say the table is empty or tiny.
-- * The UPDATE reaches the locked rows by ctid (a TID scan of exactly those rows), not by a
--   join the planner might turn into a hash of the whole table, as it did on 5,000 rows even
--   with max_jobs known. A locked row cannot move, so its ctid is stable within the statement.
-- The test EXPLAINs the text between the claim:begin and claim:end marks, with the function's
-- settings, on an empty table, on a full one with stale statistics, and after ANALYZE.
create function charter.claim_due_jobs(worker text, lease interval, max_jobs integer)
returns table (tenant_id uuid, job_id uuid, kind text, attempt integer, lease_token uuid)
language plpgsql volatile security definer
set search_path = pg_catalog, charter
set plan_cache_mode = force_custom_plan
set enable_seqscan = off
set enable_bitmapscan = off
as $$
#variable_conflict use_column
begin
    if worker is null or length(worker) not between 1 and 200 then
        raise exception 'claim_due_jobs: worker must be 1 to 200 characters'
            using errcode = 'invalid_parameter_value';
    end if;
    if lease is null or lease < interval '1 second' or lease > interval '1 day' then
        raise exception 'claim_due_jobs: lease must be between 1 second and 1 day'
            using errcode = 'invalid_parameter_value';
    end if;
    if max_jobs is null or max_jobs not between 1 and 1000 then
        raise exception 'claim_due_jobs: max_jobs must be between 1 and 1000'
            using errcode = 'invalid_parameter_value';
    end if;
    return query
    -- claim:begin
    with due as (
        select j.ctid
        from charter.deadline_jobs j
        where j.state = 'pending' and j.due_at <= now()
        order by j.due_at
        limit max_jobs
        for update skip locked
    ), claimed as (
        update charter.deadline_jobs j
        set state = 'running',
            attempts = j.attempts + 1,
            lease_owner = worker,
            lease_expires_at = clock_timestamp() + lease,
            lease_token = gen_random_uuid(),
            updated_at = clock_timestamp()
        where j.ctid = any (array(select due.ctid from due))
        returning j.tenant_id, j.id, j.kind, j.attempts, j.lease_token, j.due_at
    )
    select c.tenant_id, c.id, c.kind, c.attempts, c.lease_token
    from claimed c
    order by c.due_at, c.id
    -- claim:end
    ;
end
$$;

-- When the dispatcher next has work: the earliest due time of a pending job or the earliest
-- lease expiry of a running one (a rescue is due then), NULL when neither exists. Both are
-- min() over a partial index: one index probe each.
create function charter.next_due_at()
returns timestamptz
language sql stable security definer
set search_path = pg_catalog, charter
as $$
select least(
    (select min(due_at) from charter.deadline_jobs where state = 'pending'),
    (select min(lease_expires_at) from charter.deadline_jobs where state = 'running'))
$$;

-- Jobs whose runner's lease expired (a crashed or stopped daemon) go back to pending, keeping
-- their due time so they run before newer ones; a job that already used its attempts goes to
-- dead (a job that crashes its runner every time must stop, RELIABILITY R16). SKIP LOCKED: a
-- job whose handler transaction is still open holds its row lock, so a live but slow runner is
-- never rescued from under itself (RELIABILITY R9). Returns how many rows it changed.
create function charter.rescue_expired_leases()
returns integer
language sql volatile security definer
set search_path = pg_catalog, charter
as $$
with expired as (
    select j.ctid
    from charter.deadline_jobs j
    where j.state = 'running' and j.lease_expires_at <= now()
    order by j.lease_expires_at
    limit 1000
    for update skip locked
), rescued as (
    update charter.deadline_jobs j
    set state = case when j.attempts >= j.max_attempts then 'dead' else 'pending' end,
        last_error = 'lease of ' || coalesce(j.lease_owner, '?') || ' expired during attempt '
            || j.attempts,
        finished_at = case when j.attempts >= j.max_attempts then clock_timestamp() end,
        lease_owner = null,
        lease_expires_at = null,
        lease_token = null,
        updated_at = clock_timestamp()
    where j.ctid = any (array(select expired.ctid from expired))
    returning 1
)
select count(*)::integer from rescued
$$;

-- Hand the functions to charter_dispatch: ALTER ... OWNER TO needs charter_owner to be a member
-- of it (the bootstrap grants that) and charter_dispatch to hold CREATE on the schema, which it
-- has only for these statements.
grant create on schema charter to charter_dispatch;
alter function charter.claim_due_jobs(text, interval, integer) owner to charter_dispatch;
alter function charter.next_due_at() owner to charter_dispatch;
alter function charter.rescue_expired_leases() owner to charter_dispatch;
revoke create on schema charter from charter_dispatch;

-- Functions are executable by PUBLIC by default: only the run-time role may call these.
revoke execute on function charter.claim_due_jobs(text, interval, integer) from public;
revoke execute on function charter.next_due_at() from public;
revoke execute on function charter.rescue_expired_leases() from public;
grant execute on function charter.claim_due_jobs(text, interval, integer) to charter_runtime;
grant execute on function charter.next_due_at() to charter_runtime;
grant execute on function charter.rescue_expired_leases() to charter_runtime;
