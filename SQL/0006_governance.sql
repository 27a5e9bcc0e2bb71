-- 0006_governance: the governance workflows of issue 5 (docs/workflows.md): the register's
-- projections, membership applications, working groups, meetings and votes, offices,
-- evaluations, fees; and the decisions and facts every transition records.
--
-- How state is kept, and why
-- ==========================
-- * The rules live in the pure engine (CharterGovernance): each aggregate (a member, an
--   application, a working group, a dissolution case, a meeting, an office term, an
--   evaluation) is a row whose `state jsonb` is the engine's own value, encoded, and whose
--   `revision` grows by one with each transition. A command reads the row FOR UPDATE, asks
--   the engine, and writes the new state, the decision, the facts, the notices (outbox) and
--   the jobs (deadline_jobs) in one transaction: nothing half-done, and two administrators
--   acting on one member at once are serialised by the row lock.
-- * Typed columns beside `state` (status, tier, dates, names) are projections kept by the same
--   statement: they exist for listings, filters, keyset paging and foreign keys, never as a
--   second source of a rule.
-- * Decisions and facts are append-only history, like the member register (DTPC art. 17):
--   every decision records the charter version and the article it applied.
-- * Every key starts with tenant_id (Citus, RELIABILITY S7), row-level security is enabled and
--   forced with the one tenant_isolation policy, as in 0001.

-- ---------------------------------------------------------------------------------------------
-- Role mailboxes: where notices to the secretariat and the chair's office go by e-mail.
-- (IF NOT EXISTS: the delivery settings work may add the same columns.)
-- ---------------------------------------------------------------------------------------------
alter table charter.delivery_settings
    add column if not exists secretariat_email text,
    add column if not exists chairs_office_email text;

-- ---------------------------------------------------------------------------------------------
-- Decisions and facts
-- ---------------------------------------------------------------------------------------------

-- What was decided, in a word, under which article and which charter version.
create table charter.decisions (
    tenant_id uuid not null references charter.tenants (id),
    id bigint generated always as identity,
    -- member:<id>, working-group:<id>, meeting:<id>, case:<id>, person:<id>, body:<name>
    subject text not null,
    code text not null,
    article text not null,
    interpretation boolean not null default false,
    charter_version integer,
    profile_id text,
    decided_on date not null,
    recorded_at timestamptz not null default clock_timestamp(),
    recorded_by text not null,
    command text not null,
    detail jsonb not null default '{}',
    primary key (tenant_id, id),
    foreign key (tenant_id, charter_version) references charter.charter_versions (tenant_id, version)
);
create index decisions_by_subject on charter.decisions (tenant_id, subject, id);

-- Things that happened and are kept for good (the engine's `Fact`s).
create table charter.facts (
    tenant_id uuid not null references charter.tenants (id),
    id bigint generated always as identity,
    decision_id bigint not null,
    kind text not null,
    subject text not null,
    day date not null,
    article text not null,
    charter_version integer,
    details jsonb not null default '{}',
    recorded_at timestamptz not null default clock_timestamp(),
    primary key (tenant_id, id),
    foreign key (tenant_id, decision_id) references charter.decisions (tenant_id, id),
    foreign key (tenant_id, charter_version) references charter.charter_versions (tenant_id, version)
);
create index facts_by_subject on charter.facts (tenant_id, subject, id);
create index facts_by_kind on charter.facts (tenant_id, kind, day);

create trigger append_only before update or delete on charter.decisions
    for each row execute function charter.refuse_history_rewrite();
create trigger append_only before update or delete on charter.facts
    for each row execute function charter.refuse_history_rewrite();

-- ---------------------------------------------------------------------------------------------
-- Members and the register
-- ---------------------------------------------------------------------------------------------

-- charter.members (0001) holds who a member is; these columns hold where it stands. A unit is
-- one row for good: a new application of a unit that left finds its row (by credit code) and
-- so its way of leaving (the rejoin ban, DTPC art. 16(6)).
alter table charter.members
    add column status text not null default 'applicant'
        check (status in ('applicant', 'member', 'exit_pending', 'suspended', 'former', 'refused')),
    add column tier text,
    add column joined_on date,
    add column left_on date,
    add column representative_name text,
    add column representative_title text,
    add column representative_rank text,
    add column representative_birth_date date,
    -- The engine's MemberRecord once admitted; NULL for an applicant.
    add column state jsonb,
    add column revision integer not null default 0;
-- The register listing: filters by status and tier, keyset paging by name then id.
create index members_listing on charter.members (tenant_id, status, name, id);
create index members_by_tier on charter.members (tenant_id, tier, name, id);

-- The register (0001) records more kinds of events than 0001 named.
alter table charter.member_register drop constraint member_register_event_check;
alter table charter.member_register add constraint member_register_event_check check (event in (
    'applied', 'admitted', 'refused', 'filed', 'tier_changed', 'exit_noticed', 'suspended',
    'reinstated', 'withdrawn', 'automatic_exit', 'licence_revoked', 'expelled', 'warned',
    'criticised', 'downgraded', 'seat_granted', 'seat_lost', 'cancelled', 'contact_changed',
    'renamed', 'imported'));
alter table charter.member_register drop constraint member_register_status_check;
alter table charter.member_register add constraint member_register_status_check check (status in (
    'applicant', 'member', 'exit_pending', 'suspended', 'former', 'refused'));

create table charter.membership_applications (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null default gen_random_uuid(),
    member_id uuid not null,
    stage text not null check (stage in ('awaiting', 'admitted', 'refused')),
    received_on date not null,
    state jsonb not null,
    revision integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, member_id) references charter.members (tenant_id, id)
);
create index membership_applications_by_stage
    on charter.membership_applications (tenant_id, stage, received_on);

-- Seats in bodies (council, standing council, …): who a meeting of a body counts.
create table charter.body_seats (
    tenant_id uuid not null references charter.tenants (id),
    body text not null,
    member_id uuid not null,
    granted_on date not null,
    ended_on date,
    primary key (tenant_id, body, member_id, granted_on),
    foreign key (tenant_id, member_id) references charter.members (tenant_id, id)
);

-- ---------------------------------------------------------------------------------------------
-- Working groups (AITISA)
-- ---------------------------------------------------------------------------------------------

create table charter.working_groups (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null default gen_random_uuid(),
    name text not null check (length(name) between 1 and 200),
    status text not null check (status in ('active', 'dissolved')),
    established_on date not null,
    dissolved_on date,
    state jsonb not null,
    revision integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id)
);
create unique index working_groups_active_name on charter.working_groups (tenant_id, name)
    where status = 'active';

-- Projection of a group's members and posts, for listings and notice recipients.
create table charter.working_group_members (
    tenant_id uuid not null references charter.tenants (id),
    group_id uuid not null,
    member_id uuid not null,
    role text not null default 'member' check (role in ('member', 'leader', 'co_leader')),
    joined_on date not null,
    primary key (tenant_id, group_id, member_id),
    foreign key (tenant_id, group_id) references charter.working_groups (tenant_id, id),
    foreign key (tenant_id, member_id) references charter.members (tenant_id, id)
);

create table charter.group_applications (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null default gen_random_uuid(),
    proposed_name text not null check (length(proposed_name) between 1 and 200),
    lead_member_id uuid not null,
    stage text not null,
    received_on date not null,
    group_id uuid,
    state jsonb not null,
    revision integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, lead_member_id) references charter.members (tenant_id, id),
    foreign key (tenant_id, group_id) references charter.working_groups (tenant_id, id)
);

create table charter.dissolution_cases (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null default gen_random_uuid(),
    group_id uuid not null,
    stage text not null,
    state jsonb not null,
    revision integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, group_id) references charter.working_groups (tenant_id, id)
);

-- ---------------------------------------------------------------------------------------------
-- Meetings and votes
-- ---------------------------------------------------------------------------------------------

create table charter.meetings (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null default gen_random_uuid(),
    -- A body of the profile (general_assembly, council, …) or a working group's meeting.
    body text not null,
    group_id uuid,
    title text not null check (length(title) between 1 and 300),
    mode text not null check (mode in ('in_person', 'correspondence', 'online')),
    held_on date not null,
    location text,
    agenda text not null default '',
    status text not null,
    minutes text,
    state jsonb not null,
    revision integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, group_id) references charter.working_groups (tenant_id, id)
);
create index meetings_by_body on charter.meetings (tenant_id, body, held_on);

create table charter.meeting_attendance (
    tenant_id uuid not null references charter.tenants (id),
    meeting_id uuid not null,
    member_id uuid not null,
    status text not null
        check (status in ('present', 'proxy', 'correspondence', 'excused', 'absent')),
    proxy_holder_id uuid,
    recorded_at timestamptz not null default now(),
    primary key (tenant_id, meeting_id, member_id),
    foreign key (tenant_id, meeting_id) references charter.meetings (tenant_id, id),
    foreign key (tenant_id, member_id) references charter.members (tenant_id, id),
    foreign key (tenant_id, proxy_holder_id) references charter.members (tenant_id, id),
    check ((status = 'proxy') = (proxy_holder_id is not null))
);

create table charter.motions (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null default gen_random_uuid(),
    meeting_id uuid not null,
    title text not null check (length(title) between 1 and 300),
    matter text not null,
    ballot text not null check (ballot in ('named', 'show_of_hands', 'secret')),
    outcome text not null,
    -- members, present, needed, yes, no, abstain: the arithmetic shown with the outcome.
    arithmetic jsonb not null,
    decision_id bigint,
    decided_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, meeting_id) references charter.meetings (tenant_id, id),
    foreign key (tenant_id, decision_id) references charter.decisions (tenant_id, id)
);

-- Who voted. A named or show-of-hands ballot keeps each choice; a secret ballot keeps who
-- took part and never a choice (zgc-ai): the CHECK makes a secret choice unstorable.
create table charter.ballots (
    tenant_id uuid not null references charter.tenants (id),
    motion_id uuid not null,
    member_id uuid not null,
    ballot text not null check (ballot in ('named', 'show_of_hands', 'secret')),
    choice text check (choice in ('yes', 'no', 'abstain')),
    primary key (tenant_id, motion_id, member_id),
    foreign key (tenant_id, motion_id) references charter.motions (tenant_id, id),
    foreign key (tenant_id, member_id) references charter.members (tenant_id, id),
    check ((ballot = 'secret') = (choice is null))
);

-- ---------------------------------------------------------------------------------------------
-- Offices, evaluations, money
-- ---------------------------------------------------------------------------------------------

create table charter.office_terms (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null default gen_random_uuid(),
    post text not null,
    member_id uuid,
    person_name text not null,
    birth_date date,
    starts_on date not null,
    ends_on date,
    status text not null check (status in ('serving', 'ended')),
    state jsonb not null,
    revision integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    foreign key (tenant_id, member_id) references charter.members (tenant_id, id)
);
create index office_terms_serving on charter.office_terms (tenant_id, post) where status = 'serving';

create table charter.evaluations (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null default gen_random_uuid(),
    group_id uuid not null,
    year integer not null check (year between 2000 and 2200),
    stage text not null,
    rating text,
    state jsonb not null,
    revision integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (tenant_id, id),
    unique (tenant_id, group_id, year),
    foreign key (tenant_id, group_id) references charter.working_groups (tenant_id, id)
);

-- Fees per tier and year (zgc-ai), payments and what remains owed.
create table charter.fee_schedule (
    tenant_id uuid not null references charter.tenants (id),
    year integer not null check (year between 2000 and 2200),
    tier text not null,
    amount numeric(12, 2) not null check (amount >= 0),
    primary key (tenant_id, year, tier)
);

create table charter.fee_payments (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null default gen_random_uuid(),
    member_id uuid not null,
    year integer not null check (year between 2000 and 2200),
    amount numeric(12, 2) not null check (amount > 0),
    paid_on date not null,
    reference text,
    recorded_at timestamptz not null default now(),
    recorded_by text not null,
    primary key (tenant_id, id),
    foreign key (tenant_id, member_id) references charter.members (tenant_id, id)
);
create index fee_payments_by_member on charter.fee_payments (tenant_id, member_id, year);
create trigger append_only before update or delete on charter.fee_payments
    for each row execute function charter.refuse_history_rewrite();

-- The yearly fund-use publication (DTPC art. 33).
create table charter.fund_use_publications (
    tenant_id uuid not null references charter.tenants (id),
    year integer not null check (year between 2000 and 2200),
    published_on date not null,
    summary text not null,
    recorded_by text not null,
    primary key (tenant_id, year)
);

-- ---------------------------------------------------------------------------------------------
-- Row-level security and grants
-- ---------------------------------------------------------------------------------------------

do $$
declare
    t text;
begin
    foreach t in array array[
        'decisions', 'facts', 'membership_applications', 'body_seats', 'working_groups',
        'working_group_members', 'group_applications', 'dissolution_cases', 'meetings',
        'meeting_attendance', 'motions', 'ballots', 'office_terms', 'evaluations',
        'fee_schedule', 'fee_payments', 'fund_use_publications']
    loop
        execute format('alter table charter.%I enable row level security', t);
        execute format('alter table charter.%I force row level security', t);
        execute format(
            'create policy tenant_isolation on charter.%I '
            'using (tenant_id = charter.current_tenant()) '
            'with check (tenant_id = charter.current_tenant())', t);
    end loop;
end
$$;

-- History: read and append only.
grant select, insert on charter.decisions, charter.facts, charter.fee_payments to charter_runtime;
-- State: read and write; rows are never deleted by the daemon except projections it rebuilds.
grant select, insert, update on charter.membership_applications, charter.working_groups,
    charter.group_applications, charter.dissolution_cases, charter.meetings, charter.motions,
    charter.office_terms, charter.evaluations, charter.fee_schedule,
    charter.fund_use_publications to charter_runtime;
grant select, insert, update, delete on charter.body_seats, charter.working_group_members,
    charter.meeting_attendance, charter.ballots to charter_runtime;
