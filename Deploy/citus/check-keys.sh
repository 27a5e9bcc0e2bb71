#!/usr/bin/env bash
# Proves that a migrated Charter database can be distributed by tenant on Citus: every tenant
# table (a table of the schema with a tenant_id column) has a uuid tenant_id, a primary key
# that starts with it, and every unique constraint, unique index, exclusion constraint and
# foreign key includes it (RELIABILITY S7; the rule of CharterStore's CitusReadiness, in
# check-keys.sql). Also checks that distribute.sql names every table of the schema, so a table
# added by a migration cannot be forgotten there.
#
# Usage: Deploy/citus/check-keys.sh DATABASE_URL [SCHEMA]
#   DATABASE_URL  any role that can read the catalog, e.g. postgres://charter_owner@db/charter
#   SCHEMA        default: charter
# Exit status: 0 ready, 1 a violation (each printed), 2 usage or connection error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
url=${1:-}
schema=${2:-charter}
if [ -z "$url" ]; then
    echo "usage: $0 DATABASE_URL [SCHEMA]" >&2
    exit 2
fi
command -v psql >/dev/null 2>&1 || { echo "check-keys: psql is not on PATH" >&2; exit 2; }

run_psql() { psql "$url" -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 -v schema="$schema" "$@"; }

# Statements go in on stdin: psql does not substitute :'schema' in a -c string.
tables=$(run_psql <<<"select count(*) from pg_catalog.pg_tables where schemaname = :'schema'" 2>&1) || {
    echo "check-keys: cannot query the database: $tables" >&2
    exit 2
}
if [ "$tables" = 0 ]; then
    echo "check-keys: schema $schema has no tables: migrate the database first (charterd migrate)" >&2
    exit 2
fi

status=0
violations=$(run_psql -f "$here/check-keys.sql") || exit 2
if [ -n "$violations" ]; then
    while read -r kind table object; do
        echo "check-keys: $table: $kind${object:+ ($object)}"
    done <<<"$violations"
    status=1
fi

# distribute.sql must name each tenant table with create_distributed_table and each other
# table (but the migration runner's own) with create_reference_table.
listed() { grep -Eq "$1\('$schema\.$2'" "$here/distribute.sql"; }
while read -r table has_tenant; do
    [ -n "$table" ] || continue
    if [ "$has_tenant" = t ]; then
        listed create_distributed_table "$table" || {
            echo "check-keys: $schema.$table: tenant table missing from distribute.sql (create_distributed_table)"
            status=1
        }
    elif [ "$table" != schema_migrations ]; then
        listed create_reference_table "$table" || {
            echo "check-keys: $schema.$table: installation table missing from distribute.sql (create_reference_table)"
            status=1
        }
    fi
done < <(run_psql <<<"
    select c.relname, exists (select 1 from pg_catalog.pg_attribute a
                              where a.attrelid = c.oid and a.attname = 'tenant_id'
                                and not a.attisdropped)
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = :'schema' and c.relkind in ('r', 'p') order by 1")

if [ $status = 0 ]; then
    echo "check-keys: $tables tables of schema $schema: every tenant table's keys include tenant_id; distribute.sql lists every table"
fi
exit $status
