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
