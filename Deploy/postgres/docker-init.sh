#!/usr/bin/env bash
# First-start initialisation of the postgres:15 container in Deploy/compose.yaml (run by the
# image's entrypoint from /docker-entrypoint-initdb.d, as the superuser, once, on an empty
# volume): Charter's roles (roles.sql), their passwords, and the database owned by
# charter_owner. charterd applies the migrations itself at start.
set -euo pipefail
: "${CHARTER_OWNER_PASSWORD:?set CHARTER_OWNER_PASSWORD}"
: "${CHARTER_APP_PASSWORD:?set CHARTER_APP_PASSWORD}"
psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres)
"${psql[@]}" -f /charter/roles.sql
# Passwords go in as psql variables (:'name' quotes them), never pasted into the SQL text.
"${psql[@]}" -v owner_password="$CHARTER_OWNER_PASSWORD" -v app_password="$CHARTER_APP_PASSWORD" <<'SQL'
alter role charter_owner password :'owner_password';
alter role charter_app password :'app_password';
create database charter owner charter_owner;
SQL
