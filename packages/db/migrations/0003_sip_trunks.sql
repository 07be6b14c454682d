CREATE TABLE "sip_trunk_numbers" (
	"trunk_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"e164" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sip_trunks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"inbound_addresses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"username" text DEFAULT '' NOT NULL,
	"password_encrypted" text,
	"outbound_proxy" text NOT NULL,
	"transport" text DEFAULT 'udp' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sip_trunk_numbers" ADD CONSTRAINT "sip_trunk_numbers_trunk_id_sip_trunks_id_fk" FOREIGN KEY ("trunk_id") REFERENCES "public"."sip_trunks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sip_trunk_numbers" ADD CONSTRAINT "sip_trunk_numbers_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sip_trunks" ADD CONSTRAINT "sip_trunks_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sip_trunk_numbers_e164_uq" ON "sip_trunk_numbers" USING btree ("e164");--> statement-breakpoint
CREATE INDEX "sip_trunk_numbers_trunk_idx" ON "sip_trunk_numbers" USING btree ("trunk_id");--> statement-breakpoint
CREATE INDEX "sip_trunks_org_idx" ON "sip_trunks" USING btree ("organization_id");