-- 0004_delivery: notice delivery — every attempt recorded, per-tenant settings and templates,
-- and the outbox's cross-tenant door for the sender.
--
-- Applied by the migration runner as charter_owner in one transaction (no BEGIN/COMMIT here).
--
-- The outbox (charter.notice_outbox, 0001) holds one row per delivery: unique per tenant and
-- notice key, so a job retried or an event repeated never writes a second delivery. The sender
-- must find the due rows of every tenant in one index-ordered statement, exactly like the
-- scheduler's claim (0002): three SECURITY DEFINER functions owned by charter_dispatch that
-- return ids and never a recipient, subject or body. The row is then read, and its attempt
-- recorded, in an ordinary tenant transaction under row-level security.

-- A fresh token per claim, so that a sender whose lease expired cannot complete a row another
-- sender claimed since; the HTML part of e-mail; a finished state's instant.
alter table charter.notice_outbox add column lease_token uuid;
alter table charter.notice_outbox add column html_body text;
alter table charter.notice_outbox add column locale text not null default 'zh-CN';
alter table charter.notice_outbox add column notice_kind text;
alter table charter.notice_outbox add column dead_at timestamptz;

-- Every attempt, whatever its outcome (RELIABILITY R12): when, on which channel, what the
-- server answered. Append-only like the audit log.
create table charter.notice_attempts (
    tenant_id uuid not null references charter.tenants (id),
    id bigint generated always as identity,
    outbox_id uuid not null,
    attempt integer not null check (attempt >= 1),
    attempted_at timestamptz not null default clock_timestamp(),
    channel text not null,
    outcome text not null check (outcome in ('sent', 'retry', 'dead')),
    reply text not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, outbox_id) references charter.notice_outbox (tenant_id, id)
);
create index notice_attempts_by_notice on charter.notice_attempts (tenant_id, outbox_id, id);
create trigger append_only before update or delete on charter.notice_attempts
    for each row execute function charter.refuse_history_rewrite();

-- Where and how a tenant's notices leave. Secrets live here and nowhere else: listings show
-- whether one is set, never its value.
create table charter.delivery_settings (
    tenant_id uuid not null references charter.tenants (id),
    smtp_url text,
    smtp_username text,
    smtp_password text,
    smtp_require_tls boolean not null default true,
    mail_from text,
    mail_from_name text,
    message_id_domain text,
    webhook_url text,
    webhook_secret text,
    dingtalk_url text,
    dingtalk_secret text,
    wecom_url text,
    updated_at timestamptz not null default now(),
    primary key (tenant_id)
);

-- A tenant's own wording of a notice kind, per locale; absent rows fall back to the built-in
-- templates. Placeholders are {{name}}.
create table charter.notice_templates (
    tenant_id uuid not null references charter.tenants (id),
    notice_kind text not null,
    locale text not null check (locale in ('zh-CN', 'en')),
    subject text not null,
    text_body text not null,
    html_body text,
    updated_at timestamptz not null default now(),
    primary key (tenant_id, notice_kind, locale)
);

alter table charter.notice_attempts enable row level security;
alter table charter.notice_attempts force row level security;
create policy tenant_isolation on charter.notice_attempts
    using (tenant_id = charter.current_tenant()) with check (tenant_id = charter.current_tenant());
alter table charter.delivery_settings enable row level security;
alter table charter.delivery_settings force row level security;
create policy tenant_isolation on charter.delivery_settings
    using (tenant_id = charter.current_tenant()) with check (tenant_id = charter.current_tenant());
alter table charter.notice_templates enable row level security;
alter table charter.notice_templates force row level security;
create policy tenant_isolation on charter.notice_templates
    using (tenant_id = charter.current_tenant()) with check (tenant_id = charter.current_tenant());

grant select, insert on charter.notice_attempts to charter_runtime;
grant select, insert, update, delete on charter.delivery_settings, charter.notice_templates
    to charter_runtime;

grant select, update on charter.notice_outbox to charter_dispatch;

-- Leases up to max_rows due pending deliveries, oldest due first, for `worker`. Same shape and
-- plan settings as claim_due_jobs (0002): the partial index notice_outbox_pending_next walked
-- in order, the UPDATE by ctid. Returns ids, the channel and the attempt number only.
create function charter.claim_due_notices(worker text, lease interval, max_rows integer)
returns table (tenant_id uuid, outbox_id uuid, channel text, attempt integer, lease_token uuid)
language plpgsql volatile security definer
set search_path = pg_catalog, charter
set plan_cache_mode = force_custom_plan
set enable_seqscan = off
set enable_bitmapscan = off
as $$
#variable_conflict use_column
begin
    if worker is null or length(worker) not between 1 and 200 then
        raise exception 'claim_due_notices: worker must be 1 to 200 characters'
            using errcode = 'invalid_parameter_value';
    end if;
    if lease is null or lease < interval '1 second' or lease > interval '1 day' then
        raise exception 'claim_due_notices: lease must be between 1 second and 1 day'
            using errcode = 'invalid_parameter_value';
    end if;
    if max_rows is null or max_rows not between 1 and 1000 then
        raise exception 'claim_due_notices: max_rows must be between 1 and 1000'
            using errcode = 'invalid_parameter_value';
    end if;
    return query
    with due as (
        select o.ctid
        from charter.notice_outbox o
        where o.state = 'pending' and o.next_attempt_at <= now()
        order by o.next_attempt_at
        limit max_rows
        for update skip locked
    ), claimed as (
        update charter.notice_outbox o
        set state = 'sending',
            attempts = o.attempts + 1,
            lease_owner = worker,
            lease_expires_at = clock_timestamp() + lease,
            lease_token = gen_random_uuid(),
            updated_at = clock_timestamp()
        where o.ctid = any (array(select due.ctid from due))
        returning o.tenant_id, o.id, o.channel, o.attempts, o.lease_token, o.next_attempt_at
    )
    select c.tenant_id, c.id, c.channel, c.attempts, c.lease_token
    from claimed c
    order by c.next_attempt_at, c.id;
end
$$;

-- When the sender next has work: the earliest due pending delivery or lease expiry.
create function charter.next_notice_due_at()
returns timestamptz
language sql stable security definer
set search_path = pg_catalog, charter
as $$
select least(
    (select min(next_attempt_at) from charter.notice_outbox where state = 'pending'),
    (select min(lease_expires_at) from charter.notice_outbox where state = 'sending'))
$$;

-- Deliveries whose sender's lease expired (a crashed daemon) go back to pending, due now. The
-- attempt stays counted and the same row (so the same Message-ID) is sent again: a crash between
-- the server's acceptance and our commit can duplicate a mail, never lose it (RELIABILITY R13).
create function charter.rescue_expired_notice_leases()
returns integer
language sql volatile security definer
set search_path = pg_catalog, charter
as $$
with expired as (
    select o.ctid
    from charter.notice_outbox o
    where o.state = 'sending' and o.lease_expires_at <= now()
    order by o.lease_expires_at
    limit 1000
    for update skip locked
), rescued as (
    update charter.notice_outbox o
    set state = 'pending',
        next_attempt_at = clock_timestamp(),
        last_error = 'lease of ' || coalesce(o.lease_owner, '?') || ' expired during attempt '
            || o.attempts,
        lease_owner = null,
        lease_expires_at = null,
        lease_token = null,
        updated_at = clock_timestamp()
    where o.ctid = any (array(select expired.ctid from expired))
    returning 1
)
select count(*)::integer from rescued
$$;

create index notice_outbox_sending_lease on charter.notice_outbox (lease_expires_at)
    where state = 'sending';

grant create on schema charter to charter_dispatch;
alter function charter.claim_due_notices(text, interval, integer) owner to charter_dispatch;
alter function charter.next_notice_due_at() owner to charter_dispatch;
alter function charter.rescue_expired_notice_leases() owner to charter_dispatch;
revoke create on schema charter from charter_dispatch;

revoke execute on function charter.claim_due_notices(text, interval, integer) from public;
revoke execute on function charter.next_notice_due_at() from public;
revoke execute on function charter.rescue_expired_notice_leases() from public;
grant execute on function charter.claim_due_notices(text, interval, integer) to charter_runtime;
grant execute on function charter.next_notice_due_at() to charter_runtime;
grant execute on function charter.rescue_expired_notice_leases() to charter_runtime;
