-- 0009_claim_order: the claim returns its jobs so that jobs of one tenant due in the same second
-- come together, and the scheduler runs them in one tenant transaction (docs/scheduler.md,
-- "Several jobs per transaction"); the index of leases no longer looks like a way to a tenant's
-- running jobs.
--
-- Which jobs a claim leases does not change: the oldest due first, as in SQL/0002 (up to 5,000 a
-- claim now, against 1,000: a claim over many tenants must hold several jobs of each for them to
-- share transactions). The order in which it returns them does change: by the second the job fell due, then by tenant, then by due
-- time. Within one second of due time, the jobs of one tenant are adjacent, and the scheduler
-- takes an adjacent run of one tenant's jobs as one batch; across seconds, the oldest still come
-- first. A deadline of a charter is a day; no notice is the later for a job of another tenant due
-- in the same second going first.
--
-- CREATE OR REPLACE keeps the function's owner (charter_dispatch), its settings' rationale (see
-- SQL/0002) and its grants; charter_owner may replace it as a member of charter_dispatch. Same
-- signature, same result columns, same body apart from the bound on max_jobs and the final
-- ORDER BY.
-- No new table: nothing to add to Deploy/citus/distribute.sql.

create or replace function charter.claim_due_jobs(worker text, lease interval, max_jobs integer)
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
    if max_jobs is null or max_jobs not between 1 and 5000 then
        raise exception 'claim_due_jobs: max_jobs must be between 1 and 5000'
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
    order by date_trunc('second', c.due_at), c.tenant_id, c.due_at, c.id
    -- claim:end
    ;
end
$$;

-- The index of running jobs' leases (rescue_expired_leases, next_due_at) was partial on
-- `state = 'running'`. A batch of one tenant's jobs is locked and completed by statements that
-- say `state = 'running'` too, so the planner could prove that index usable for them, and with
-- the statistics of a moment when nothing ran (a generic plan believes one running row) it
-- walked every running job of every tenant, filtering by tenant, instead of looking the batch's
-- ids up in the primary key: 0.9 ms against a few hundredths with 2,000 jobs running. Partial on
-- the lease column instead, it holds the same rows (every transition out of `running` clears
-- the lease; a running job always has one, by the table's check), the rescue's
-- `lease_expires_at <= now()` and next_due_at's min() (which adds `IS NOT NULL` itself) still
-- use it, and no statement about a job's state can.
drop index charter.deadline_jobs_running_lease;
create index deadline_jobs_lease_expiry on charter.deadline_jobs (lease_expires_at)
    where lease_expires_at is not null;
