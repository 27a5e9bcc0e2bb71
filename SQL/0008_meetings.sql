-- 0008_meetings: what meetings and votes (issue 5, RULES.md §5) keep beyond SQL/0006.
--
-- * The time of day of a meeting: the notice carries an iCalendar invitation (RFC 5545) whose
--   event starts and ends at a time in the tenant's zone, not on a whole day.
-- * Why a meeting was cancelled (the decision keeps it too; the column is for listings).
-- * The status values other parts rely on: the evaluations count `held` meetings per body for
--   the minimum-meetings warnings (AITISA art. 10, AII art. 23, DTPC art. 27).
-- No new table: nothing to add to Deploy/citus/distribute.sql.

alter table charter.meetings
    add column starts_at time not null default '09:00',
    add column ends_at time not null default '12:00',
    add column cancel_reason text,
    add constraint meetings_status_check
        check (status in ('scheduled', 'notice_sent', 'held', 'cancelled')),
    add constraint meetings_times_check check (ends_at > starts_at);

-- MEETING LIST: latest first, keyset paging on (held_on, id).
create index meetings_listing on charter.meetings (tenant_id, held_on desc, id desc);
