-- 0007_members: the CSV import of an existing member register (issue 5, docs/workflows.md).
--
-- A request line is at most 64 KiB, so a register file reaches the daemon in chunks:
-- REGISTER IMPORT BEGIN makes a batch, REGISTER IMPORT ROWS appends chunks in order, CHECK
-- parses the concatenated text (a dry run) and APPLY imports it in one transaction. The chunks
-- are kept per tenant under row-level security like every tenant table; an applied batch keeps
-- its text as the record of what was imported.

create table charter.register_import_batches (
    tenant_id uuid not null references charter.tenants (id),
    id uuid not null default gen_random_uuid(),
    created_by text not null,
    created_at timestamptz not null default now(),
    applied_at timestamptz,
    applied_rows integer,
    primary key (tenant_id, id)
);

create table charter.register_import_chunks (
    tenant_id uuid not null references charter.tenants (id),
    batch_id uuid not null,
    seq integer not null check (seq >= 1),
    text text not null,
    primary key (tenant_id, batch_id, seq),
    foreign key (tenant_id, batch_id) references charter.register_import_batches (tenant_id, id)
);

do $$
declare
    t text;
begin
    foreach t in array array['register_import_batches', 'register_import_chunks']
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

grant select, insert, update on charter.register_import_batches to charter_runtime;
grant select, insert on charter.register_import_chunks to charter_runtime;

-- The register listing without a filter, keyset-paged by name then id (with status= it is
-- members_listing, with tier= members_by_tier of 0006).
create index members_by_name on charter.members (tenant_id, name, id);
