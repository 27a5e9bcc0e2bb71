-- Roles for Charter on an external PostgreSQL server (15 or newer). Run once as a superuser:
--
--     psql "postgres://postgres@db.example/postgres" -v ON_ERROR_STOP=1 -f roles.sql
--     psql "postgres://postgres@db.example/postgres" -c 'CREATE DATABASE charter OWNER charter_owner'
--
-- The embedded cluster and the tests run the same statements (CharterStore's RoleBootstrap).
-- Safe to run again, and safe when two copies run at once: every CREATE catches
-- duplicate_object / unique_violation, and the attributes are (re)asserted afterwards.
--
-- charter_owner    LOGIN. Owns the charter schema and every table; migrations connect as it.
--                  Not superuser, and no BYPASSRLS: FORCE ROW LEVEL SECURITY binds it too.
-- charter_runtime  NOLOGIN group role. Migrations GRANT table privileges to it.
-- charter_app      LOGIN, member of charter_runtime: the daemon's run-time connections.
--                  Owns nothing; no SUPERUSER, BYPASSRLS, CREATEROLE or CREATEDB. charterd
--                  checks this at start and refuses to run otherwise.
--
-- Passwords: the embedded cluster trusts its private unix socket. On a server, give the two
-- login roles passwords (psql's \password charter_owner and \password charter_app send a
-- SCRAM hash, never the clear text) and put them in the URLs charterd is configured with:
--     postgres://charter_owner:...@db.example/charter   (migration URL)
--     postgres://charter_app:...@db.example/charter     (run-time URL)
-- and allow them in pg_hba.conf with scram-sha-256.

do $$
begin
    begin
        create role charter_owner login;
    exception when duplicate_object or unique_violation then null;
    end;
    begin
        create role charter_runtime nologin;
    exception when duplicate_object or unique_violation then null;
    end;
    begin
        create role charter_app login;
    exception when duplicate_object or unique_violation then null;
    end;
    begin
        grant charter_runtime to charter_app;
    exception when duplicate_object or unique_violation then null;
    end;
end
$$;

alter role charter_owner with login nosuperuser nobypassrls nocreaterole nocreatedb;
alter role charter_runtime with nologin nosuperuser nobypassrls nocreaterole nocreatedb;
alter role charter_app with login nosuperuser nobypassrls nocreaterole nocreatedb noreplication;
