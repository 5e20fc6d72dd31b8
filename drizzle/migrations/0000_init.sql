CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"scopes" text[] NOT NULL,
	"rate_limit_per_minute" integer DEFAULT 600 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"outcome" text NOT NULL,
	"status" integer,
	"request_id" text,
	"details" jsonb,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "changelogs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"issue_id" uuid NOT NULL,
	"jira_id" text NOT NULL,
	"author_account_id" text,
	"created" timestamp (3) with time zone NOT NULL,
	"items" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"issue_id" uuid NOT NULL,
	"jira_id" text NOT NULL,
	"author_account_id" text,
	"body" jsonb,
	"body_text" text DEFAULT '' NOT NULL,
	"created" timestamp (3) with time zone NOT NULL,
	"updated" timestamp (3) with time zone NOT NULL,
	"raw" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "custom_fields" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"field_id" text NOT NULL,
	"name" text NOT NULL,
	"custom" boolean NOT NULL,
	"schema_type" text,
	"schema_custom" text,
	"schema_items" text,
	"raw" jsonb NOT NULL,
	"synced_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dead_letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"queue" text NOT NULL,
	"message_id" text NOT NULL,
	"body" jsonb NOT NULL,
	"attempts" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"replayed_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "issue_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"issue_id" uuid NOT NULL,
	"jira_id" text NOT NULL,
	"link_type" text NOT NULL,
	"direction" text NOT NULL,
	"description" text,
	"other_issue_key" text NOT NULL,
	"other_issue_jira_id" text
);
--> statement-breakpoint
CREATE TABLE "issues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"jira_id" text NOT NULL,
	"key" text NOT NULL,
	"project_key" text NOT NULL,
	"project_id" text,
	"summary" text DEFAULT '' NOT NULL,
	"description" jsonb,
	"description_text" text DEFAULT '' NOT NULL,
	"status" text,
	"status_id" text,
	"status_category" text,
	"issue_type" text,
	"is_subtask" boolean DEFAULT false NOT NULL,
	"priority" text,
	"priority_id" text,
	"assignee_account_id" text,
	"reporter_account_id" text,
	"labels" text[] DEFAULT '{}'::text[] NOT NULL,
	"components" text[] DEFAULT '{}'::text[] NOT NULL,
	"fix_versions" text[] DEFAULT '{}'::text[] NOT NULL,
	"parent_key" text,
	"resolution" text,
	"created" timestamp (3) with time zone NOT NULL,
	"updated" timestamp (3) with time zone NOT NULL,
	"resolved" timestamp (3) with time zone,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"raw" jsonb NOT NULL,
	"jira_updated" timestamp (3) with time zone NOT NULL,
	"comments_count" integer DEFAULT 0 NOT NULL,
	"changelog_count" integer DEFAULT 0 NOT NULL,
	"search_vector" "tsvector",
	"deleted_at" timestamp (3) with time zone,
	"synced_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jira_instances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"base_url" text NOT NULL,
	"auth_type" text NOT NULL,
	"secrets_ciphertext" text NOT NULL,
	"secrets_key_id" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"has_webhook_secret" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"jira_id" text NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"project_type" text,
	"lead_account_id" text,
	"raw" jsonb NOT NULL,
	"synced_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_watermarks" (
	"tenant_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"watermark" timestamp (3) with time zone,
	"last_poll_at" timestamp (3) with time zone,
	"last_reconcile_at" timestamp (3) with time zone,
	"last_webhook_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_watermarks_pkey" PRIMARY KEY("tenant_id","instance_id")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"account_id" text NOT NULL,
	"display_name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"account_type" text,
	"email_hash" text,
	"time_zone" text,
	"raw" jsonb NOT NULL,
	"synced_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "changelogs" ADD CONSTRAINT "changelogs_instance_id_jira_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."jira_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "changelogs" ADD CONSTRAINT "changelogs_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_instance_id_jira_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."jira_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_fields" ADD CONSTRAINT "custom_fields_instance_id_jira_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."jira_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_links" ADD CONSTRAINT "issue_links_instance_id_jira_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."jira_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_links" ADD CONSTRAINT "issue_links_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issues" ADD CONSTRAINT "issues_instance_id_jira_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."jira_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jira_instances" ADD CONSTRAINT "jira_instances_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_instance_id_jira_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."jira_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_watermarks" ADD CONSTRAINT "sync_watermarks_instance_id_jira_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."jira_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_instance_id_jira_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."jira_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_keys_tenant_idx" ON "api_keys" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "audit_log_tenant_created_idx" ON "audit_log" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "changelogs_jira_id_key" ON "changelogs" USING btree ("tenant_id","instance_id","jira_id");--> statement-breakpoint
CREATE INDEX "changelogs_issue_idx" ON "changelogs" USING btree ("issue_id","created","id");--> statement-breakpoint
CREATE UNIQUE INDEX "comments_jira_id_key" ON "comments" USING btree ("tenant_id","instance_id","jira_id");--> statement-breakpoint
CREATE INDEX "comments_issue_idx" ON "comments" USING btree ("issue_id","created","id");--> statement-breakpoint
CREATE UNIQUE INDEX "custom_fields_field_key" ON "custom_fields" USING btree ("tenant_id","instance_id","field_id");--> statement-breakpoint
CREATE INDEX "dead_letters_tenant_idx" ON "dead_letters" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "issue_links_key" ON "issue_links" USING btree ("tenant_id","instance_id","issue_id","jira_id");--> statement-breakpoint
CREATE INDEX "issue_links_other_idx" ON "issue_links" USING btree ("tenant_id","instance_id","other_issue_key");--> statement-breakpoint
CREATE UNIQUE INDEX "issues_jira_id_key" ON "issues" USING btree ("tenant_id","instance_id","jira_id");--> statement-breakpoint
CREATE UNIQUE INDEX "issues_key_key" ON "issues" USING btree ("tenant_id","instance_id","key");--> statement-breakpoint
CREATE INDEX "issues_updated_idx" ON "issues" USING btree ("tenant_id","instance_id","updated","id");--> statement-breakpoint
CREATE INDEX "issues_created_idx" ON "issues" USING btree ("tenant_id","instance_id","created","id");--> statement-breakpoint
CREATE INDEX "issues_project_updated_idx" ON "issues" USING btree ("tenant_id","instance_id","project_key","updated");--> statement-breakpoint
CREATE INDEX "issues_custom_fields_gin" ON "issues" USING gin ("custom_fields" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "issues_labels_gin" ON "issues" USING gin ("labels");--> statement-breakpoint
CREATE INDEX "issues_search_gin" ON "issues" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "jira_instances_tenant_idx" ON "jira_instances" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_jira_id_key" ON "projects" USING btree ("tenant_id","instance_id","jira_id");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_key_key" ON "projects" USING btree ("tenant_id","instance_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "users_account_key" ON "users" USING btree ("tenant_id","instance_id","account_id");