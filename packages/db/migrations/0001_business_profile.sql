ALTER TABLE "appointments" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "holidays" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "default_country" text DEFAULT 'US' NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "recordings_retention_days" integer;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "transcripts_retention_days" integer;--> statement-breakpoint
CREATE INDEX "messages_org_prospect_idx" ON "messages" USING btree ("organization_id","prospect_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_provider_sid_uq" ON "messages" USING btree ("provider_sid");