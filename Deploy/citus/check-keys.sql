-- Citus readiness of a migrated Charter database (RELIABILITY S7): one row per tenant table
-- whose keys would not distribute by tenant_id. The same rule as CharterStore's
-- CitusReadiness.query (a test keeps the two texts equal); psql variable `schema`.
-- Columns: kind, table, constraint or index. No row: the schema is ready.
with tenant_tables as (
    select c.oid, a.attnum as tenant_attnum, a.atttypid as tenant_type
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    join pg_catalog.pg_attribute a
      on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where n.nspname = :'schema'::text::name and c.relkind in ('r', 'p')
)
select 'tenant_id_not_uuid', t.oid::regclass::text, pg_catalog.format_type(t.tenant_type, null)
from tenant_tables t where t.tenant_type <> 'pg_catalog.uuid'::pg_catalog.regtype
union all
select 'no_primary_key', t.oid::regclass::text, ''
from tenant_tables t
where not exists (select 1 from pg_catalog.pg_constraint k
                  where k.conrelid = t.oid and k.contype = 'p')
union all
select 'primary_key_not_led_by_tenant_id', t.oid::regclass::text, k.conname::text
from tenant_tables t
join pg_catalog.pg_constraint k on k.conrelid = t.oid and k.contype = 'p'
where k.conkey[1] <> t.tenant_attnum
union all
select case k.contype when 'f' then 'foreign_key_without_tenant_id'
                      when 'x' then 'exclusion_without_tenant_id'
                      else 'unique_without_tenant_id' end,
       t.oid::regclass::text, k.conname::text
from tenant_tables t join pg_catalog.pg_constraint k on k.conrelid = t.oid
where k.contype in ('p', 'u', 'f', 'x') and not (t.tenant_attnum = any (k.conkey))
union all
select 'foreign_key_tenant_id_mismatch', t.oid::regclass::text, k.conname::text
from tenant_tables t
join pg_catalog.pg_constraint k on k.conrelid = t.oid and k.contype = 'f'
join tenant_tables rt on rt.oid = k.confrelid
where t.tenant_attnum = any (k.conkey)
  and k.confkey[pg_catalog.array_position(k.conkey, t.tenant_attnum)] <> rt.tenant_attnum
union all
select 'unique_index_without_tenant_id', t.oid::regclass::text, i.indexrelid::regclass::text
from tenant_tables t join pg_catalog.pg_index i on i.indrelid = t.oid
where i.indisunique
  and not (t.tenant_attnum = any (i.indkey::pg_catalog.int2[]))
  and not exists (select 1 from pg_catalog.pg_constraint k where k.conindid = i.indexrelid)
order by 1, 2, 3
