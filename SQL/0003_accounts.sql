-- 0003_accounts: what logging in needs beyond 0001 (see docs/accounts.md).
--
-- * certificate_subject: the subject of a client certificate (as the TLS layer prints it) that
--   logs this administrator in without a password, when the configured CA verified it.
-- * recent_failed_logins: the instants of the failed password logins of the last lockout
--   window, newest first, at most as many as the lockout threshold. The lockout rule ("10
--   failures in 15 minutes") is a sliding window over it; failed_login_count of 0001 keeps
--   counting failures since the last success, for display.
-- * last_login_at: the last successful login (ADMIN LIST shows it).
--
-- New columns of existing tables: the table-level grants of 0001 cover them, and no key
-- changes, so the Citus layout (RELIABILITY S7) is unchanged.

alter table charter.operators
    add column certificate_subject text check (length(certificate_subject) between 1 and 1000),
    add column recent_failed_logins timestamptz[] not null default '{}',
    add column last_login_at timestamptz;

alter table charter.tenant_administrators
    add column certificate_subject text check (length(certificate_subject) between 1 and 1000),
    add column recent_failed_logins timestamptz[] not null default '{}',
    add column last_login_at timestamptz;
