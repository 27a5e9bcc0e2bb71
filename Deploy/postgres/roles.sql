-- Roles for Charter on an external PostgreSQL server (15 or newer). Run once as a superuser:
--
--     psql "postgres://postgres@db.example/postgres" -v ON_ERROR_STOP=1 -f roles.sql
--     psql "postgres://postgres@db.example/postgres" -c 'CREATE DATABASE charter OWNER charter_owner'
--
-- The embedded cluster and the tests run the same statements (CharterStore's RoleBootstrap).
-- Safe to run again, and safe when two copies run at once: one DO block (one transaction)
-- under an advisory lock, every CREATE catches duplicate_object / unique_violation (a copy
-- running from another database does not share the lock), and an attribute is altered only
-- when it is wrong, so a repeated run writes nothing to the catalog.
--
-- charter_owner    LOGIN. Owns the charter schema and every table; migrations connect as it.
--                  Not superuser, and no BYPASSRLS: FORCE ROW LEVEL SECURITY binds it too.
-- charter_runtime  NOLOGIN group role. Migrations GRANT table privileges to it.
-- charter_app      LOGIN, member of charter_runtime: the daemon's run-time connections.
--                  Owns nothing; no SUPERUSER, BYPASSRLS, CREATEROLE or CREATEDB. charterd
--                  checks this at start and refuses to run otherwise.
-- charter_dispatch NOLOGIN, BYPASSRLS. Owns only the deadline scheduler's three SECURITY DEFINER
--                  functions (SQL/0002_scheduler.sql), the one reviewed way to see due jobs of
--                  every tenant; charter_owner is a member so its migration can hand them over.
--                  charter_app must never be a member (the posture check refuses to start).
--
-- Passwords: the embedded cluster trusts its private unix socket. On a server, give the two
-- login roles passwords (psql's \password charter_owner and \password charter_app send a
-- SCRAM hash, never the clear text) and put them in the URLs charterd is configured with:
--     postgres://charter_owner:...@db.example/charter   (migration URL)
--     postgres://charter_app:...@db.example/charter     (run-time URL)
-- and allow them in pg_hba.conf with scram-sha-256.

do $charter_roles$
begin
    perform pg_catalog.pg_advisory_xact_lock(1128808786, 0);
    begin
        create role charter_owner login nosuperuser nobypassrls nocreaterole nocreatedb;
    exception when duplicate_object or unique_violation then null;
    end;
    begin
        create role charter_runtime nologin nosuperuser nobypassrls nocreaterole nocreatedb;
    exception when duplicate_object or unique_violation then null;
    end;
    begin
        create role charter_app login nosuperuser nobypassrls nocreaterole nocreatedb;
    exception when duplicate_object or unique_violation then null;
    end;
    begin
        create role charter_dispatch nologin bypassrls nosuperuser nocreaterole nocreatedb;
    exception when duplicate_object or unique_violation then null;
    end;
    if not pg_catalog.pg_has_role('charter_app', 'charter_runtime', 'MEMBER') then
        begin
            grant charter_runtime to charter_app;
        exception when duplicate_object or unique_violation then null;
        end;
    end if;
    -- charter_owner hands the scheduler's cross-tenant functions to charter_dispatch in a
    -- migration (ALTER FUNCTION ... OWNER TO needs membership). charter_app must never be one.
    if not pg_catalog.pg_has_role('charter_owner', 'charter_dispatch', 'MEMBER') then
        begin
            grant charter_dispatch to charter_owner;
        exception when duplicate_object or unique_violation then null;
        end;
    end if;
    -- Roles that existed before: put right whatever is wrong, and only that.
    if exists (select from pg_catalog.pg_roles where rolname = 'charter_owner'
               and (not rolcanlogin or rolsuper or rolbypassrls or rolcreaterole or rolcreatedb)) then
        alter role charter_owner login nosuperuser nobypassrls nocreaterole nocreatedb;
    end if;
    if exists (select from pg_catalog.pg_roles where rolname = 'charter_runtime'
               and (rolcanlogin or rolsuper or rolbypassrls or rolcreaterole or rolcreatedb)) then
        alter role charter_runtime nologin nosuperuser nobypassrls nocreaterole nocreatedb;
    end if;
    if exists (select from pg_catalog.pg_roles where rolname = 'charter_app'
               and (not rolcanlogin or rolsuper or rolbypassrls or rolcreaterole or rolcreatedb)) then
        alter role charter_app login nosuperuser nobypassrls nocreaterole nocreatedb;
    end if;
    if exists (select from pg_catalog.pg_roles where rolname = 'charter_dispatch'
               and (rolcanlogin or not rolbypassrls or rolsuper or rolcreaterole or rolcreatedb)) then
        alter role charter_dispatch nologin bypassrls nosuperuser nocreaterole nocreatedb;
    end if;
end
$charter_roles$;
