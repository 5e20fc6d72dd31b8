CREATE TABLE "issue_flow" (
	"issue_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"key" text NOT NULL,
	"project_key" text NOT NULL,
	"issue_type" text,
	"priority" text,
	"assignee_account_id" text,
	"status" text,
	"status_id" text,
	"status_category" text,
	"created" timestamp (3) with time zone NOT NULL,
	"initial_status" text,
	"initial_status_id" text,
	"in_progress_at" timestamp (3) with time zone,
	"resolved_at" timestamp (3) with time zone,
	"lead_time_hours" double precision,
	"cycle_time_hours" double precision
);
--> statement-breakpoint
CREATE TABLE "issue_status_intervals" (
	"issue_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"tenant_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"project_key" text NOT NULL,
	"status" text,
	"status_id" text,
	"category" text,
	"entered" timestamp (3) with time zone NOT NULL,
	"left" timestamp (3) with time zone,
	CONSTRAINT "issue_status_intervals_issue_id_seq_pk" PRIMARY KEY("issue_id","seq")
);
--> statement-breakpoint
CREATE TABLE "statuses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"jira_id" text NOT NULL,
	"name" text NOT NULL,
	"category" text,
	"synced_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "issue_flow" ADD CONSTRAINT "issue_flow_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_flow" ADD CONSTRAINT "issue_flow_instance_id_jira_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."jira_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_status_intervals" ADD CONSTRAINT "issue_status_intervals_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_status_intervals" ADD CONSTRAINT "issue_status_intervals_instance_id_jira_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."jira_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statuses" ADD CONSTRAINT "statuses_instance_id_jira_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."jira_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "issue_flow_created_idx" ON "issue_flow" USING btree ("tenant_id","instance_id","created","project_key");--> statement-breakpoint
CREATE INDEX "issue_flow_resolved_idx" ON "issue_flow" USING btree ("tenant_id","instance_id","resolved_at","project_key","lead_time_hours","cycle_time_hours") WHERE "issue_flow"."resolved_at" is not null;--> statement-breakpoint
CREATE INDEX "issue_flow_wip_idx" ON "issue_flow" USING btree ("tenant_id","instance_id","in_progress_at","project_key") WHERE "issue_flow"."status_category" = 'indeterminate';--> statement-breakpoint
CREATE INDEX "issue_flow_breakdown_idx" ON "issue_flow" USING btree ("tenant_id","instance_id","project_key","status_category","issue_type","priority","assignee_account_id");--> statement-breakpoint
CREATE INDEX "issue_status_intervals_wip_entered_idx" ON "issue_status_intervals" USING btree ("tenant_id","instance_id","entered","project_key") WHERE "issue_status_intervals"."category" = 'indeterminate';--> statement-breakpoint
CREATE INDEX "issue_status_intervals_wip_left_idx" ON "issue_status_intervals" USING btree ("tenant_id","instance_id","left","project_key") WHERE "issue_status_intervals"."category" = 'indeterminate';--> statement-breakpoint
CREATE INDEX "issue_status_intervals_status_idx" ON "issue_status_intervals" USING btree ("tenant_id","instance_id","status_id");--> statement-breakpoint
CREATE UNIQUE INDEX "statuses_jira_id_key" ON "statuses" USING btree ("tenant_id","instance_id","jira_id");