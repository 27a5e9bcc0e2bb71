#!/usr/bin/env bash
# CI step of Scripts/test (after the Swift tests): on the throwaway server it is given, creates
# Charter's roles (Deploy/postgres/roles.sql, as the superuser), a fresh database owned by
# charter_owner, migrates it with the built charterd as an operator would, and runs
# Deploy/citus/check-keys.sh, which must pass. Then proves the check can fail: a second
# database gets a tenant table whose unique constraint lacks tenant_id, and the check must
# exit 1 naming it.
# Usage: Scripts/lib/citus-check.sh PATH_TO_charterd   (CHARTER_TEST_DATABASE_URL and
# PG_THROWAWAY_DIR set by pg_throwaway_start)
set -euo pipefail
charterd=${1:?usage: citus-check.sh PATH_TO_charterd}
cd "$(dirname "$0")/../.."
: "${CHARTER_TEST_DATABASE_URL:?start a throwaway server first}"
: "${PG_THROWAWAY_DIR:?start a throwaway server first}"
socket=$PG_THROWAWAY_DIR

superuser() { PGOPTIONS="-c client_min_messages=warning" psql "$CHARTER_TEST_DATABASE_URL" -X -q -v ON_ERROR_STOP=1 "$@"; }
url() { echo "postgres://$1@/$2?host=$socket"; }

fresh_database() {
    local name=$1
    superuser -c "drop database if exists $name" -c "create database $name owner charter_owner"
    "$charterd" migrate --database-url "$(url charter_app "$name")" \
        --database-migration-url "$(url charter_owner "$name")" --database-migrations SQL \
        >/dev/null
}

superuser -f Deploy/postgres/roles.sql

fresh_database charter_ci_keys
echo "citus-check: migrated charter_ci_keys with charterd migrate"
Deploy/citus/check-keys.sh "$(url charter_owner charter_ci_keys)"

fresh_database charter_ci_bad_keys
psql "$(url charter_owner charter_ci_bad_keys)" -X -q -v ON_ERROR_STOP=1 <<'SQL'
create table charter.badge_codes (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null,
    code text not null unique,
    primary key (tenant_id, id)
);
SQL
set +e
output=$(Deploy/citus/check-keys.sh "$(url charter_owner charter_ci_bad_keys)" 2>&1)
status=$?
set -e
if [ $status != 1 ] || ! grep -q "charter.badge_codes: unique_without_tenant_id (badge_codes_code_key)" <<<"$output"; then
    echo "citus-check: the check did not refuse a unique constraint without tenant_id (exit $status):" >&2
    echo "$output" >&2
    exit 1
fi
echo "citus-check: a unique constraint without tenant_id is refused, as it must be:"
echo "$output" | sed 's/^/    /'
superuser -c "drop database charter_ci_keys" -c "drop database charter_ci_bad_keys"
