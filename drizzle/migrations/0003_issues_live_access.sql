-- Access for the issues_live view (see drizzle/schema/issues-live.ts for why it exists).
-- The view reads issues with its owner's rights; FORCE ROW LEVEL SECURITY applies to the owner
-- too, so ds_owner needs a policy of its own — read-only, and ds_owner cannot log in.
CREATE POLICY owner_read ON issues FOR SELECT TO ds_owner USING (true);
--> statement-breakpoint
-- Only the Worker's own queries read through the view: no writes (a simple view is updatable,
-- and the default privileges granted them to app), and never the SQL interface's role.
REVOKE ALL ON issues_live FROM PUBLIC, ds_reader, ds_system;
--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON issues_live FROM app;
--> statement-breakpoint
GRANT SELECT ON issues_live TO app;
--> statement-breakpoint
COMMENT ON VIEW issues_live IS 'The current tenant''s live issues for the Worker''s issue search. Tenant-scoped by its own WHERE, not by RLS: never grant it to ds_reader.';
