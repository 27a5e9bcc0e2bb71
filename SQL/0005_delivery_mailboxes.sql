-- 0005_delivery_mailboxes: where notices to a tenant's roles go, and a webhook endpoint that
-- was disabled because it kept failing (RELIABILITY R12).
--
-- Applied by the migration runner as charter_owner in one transaction (no BEGIN/COMMIT here).

-- The role mailboxes: notices addressed to the secretariat (a delivery given up on, a webhook
-- endpoint disabled, DELIVERY TEST) and to the chair's office go to these addresses.
alter table charter.delivery_settings add column secretariat_email text;
alter table charter.delivery_settings add column chairs_office_email text;

-- A webhook endpoint that answered 410 Gone, or kept failing for the whole retry lifetime of a
-- delivery (3 days by default), is disabled: the sender no longer calls it (each delivery goes
-- dead with the reason) until an administrator sets the URL again or runs DELIVERY ENABLE
-- webhook. The reason is the endpoint's last reply, never a secret.
alter table charter.delivery_settings add column webhook_disabled_at timestamptz;
alter table charter.delivery_settings add column webhook_disabled_reason text;
alter table charter.delivery_settings add constraint webhook_disabled_has_reason
    check ((webhook_disabled_at is null) = (webhook_disabled_reason is null));
