CREATE TABLE "campaign_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"prospect_id" uuid,
	"phone" text NOT NULL,
	"decision" text NOT NULL,
	"rule" text NOT NULL,
	"local_time" text NOT NULL,
	"call_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaign_prospects" ADD COLUMN "skip_reason" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "paused_reason" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "consecutive_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "prospects" ADD COLUMN "consent" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "prospects" ADD COLUMN "consent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_ledger" ADD CONSTRAINT "campaign_ledger_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_ledger" ADD CONSTRAINT "campaign_ledger_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_ledger" ADD CONSTRAINT "campaign_ledger_prospect_id_prospects_id_fk" FOREIGN KEY ("prospect_id") REFERENCES "public"."prospects"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_ledger_campaign_idx" ON "campaign_ledger" USING btree ("campaign_id","id");--> statement-breakpoint
CREATE INDEX "campaign_prospects_campaign_state_idx" ON "campaign_prospects" USING btree ("campaign_id","state");