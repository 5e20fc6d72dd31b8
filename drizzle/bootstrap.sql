-- Roles, created once per Postgres cluster by whoever runs the migrations (the database's admin
-- login). Idempotent: `npm run db:migrate` runs it before the drizzle migrations every time.
--   ds_owner  owns every table and runs the migrations (NOLOGIN; the admin login SETs ROLE to it)
--   app       what the Worker uses for tenant work: NOSUPERUSER NOBYPASSRLS, owns nothing
--   ds_system read-only cross-tenant lookups the Worker needs before it knows the tenant
--             (API key → tenant, webhook → instance, cron → all instances, DLQ counts)
--   ds_reader the SQL interface: SELECT on the documented tables and views, under RLS
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['ds_owner', 'app', 'ds_system', 'ds_reader'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE', role_name);
    END IF;
  END LOOP;
  EXECUTE format('GRANT CREATE, CONNECT ON DATABASE %I TO ds_owner', current_database());
END
$$;
-- The login that runs the Worker (and the migrations) must be able to SET ROLE to each of them.
GRANT ds_owner, app, ds_system, ds_reader TO CURRENT_USER;
GRANT USAGE, CREATE ON SCHEMA public TO ds_owner;
-- The SQL interface's role sees no statistics of other tenants (issue #11). Row counts, scans,
-- tuple and block counters, most-common values and relation sizes are per table, not per tenant:
-- through them one tenant learns about the others. ds_reader has them only through PUBLIC, so
-- they are revoked from PUBLIC and granted back to the Worker's own roles. These objects belong
-- to the bootstrap superuser, hence here (run as the admin login) and not in a migration; where
-- the login may not change them, it warns instead of failing (see README, "Security").
DO $$
DECLARE
  v record;
  f record;
  cols text;
BEGIN
  FOR v IN SELECT c.relname FROM pg_catalog.pg_class c
    WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relkind = 'v'
      AND (c.relname LIKE 'pg\_stat%' OR c.relname LIKE 'pg\_statio%') LOOP
    EXECUTE format('REVOKE SELECT ON pg_catalog.%I FROM PUBLIC', v.relname);
    EXECUTE format('GRANT SELECT ON pg_catalog.%I TO app, ds_system', v.relname);
  END LOOP;
  FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_catalog.pg_proc p
    WHERE p.pronamespace = 'pg_catalog'::regnamespace
      AND (p.proname LIKE 'pg\_stat\_get\_%' OR p.proname IN ('pg_relation_size',
        'pg_total_relation_size', 'pg_table_size', 'pg_indexes_size', 'pg_database_size',
        'pg_tablespace_size', 'pg_relation_filenode', 'pg_relation_filepath')) LOOP
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f.sig);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO app, ds_system', f.sig);
  END LOOP;
  -- pg_class: every column but the size estimates (reltuples, relpages, relallvisible, …).
  SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
    FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = 'pg_catalog.pg_class'::regclass AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attname NOT IN ('reltuples', 'relpages', 'relallvisible', 'relallfrozen');
  REVOKE SELECT ON pg_catalog.pg_class FROM PUBLIC;
  EXECUTE format('GRANT SELECT (%s) ON pg_catalog.pg_class TO PUBLIC', cols);
  GRANT SELECT ON pg_catalog.pg_class TO app, ds_system;
  -- temp_file_limit is superuser-only: app sets it per reader transaction (sql-reader.ts) and
  -- ds_reader cannot raise it again.
  GRANT SET ON PARAMETER temp_file_limit TO app;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'statistics stay visible to ds_reader and temp_file_limit unbounded (needs a superuser): %', SQLERRM;
END
$$;
