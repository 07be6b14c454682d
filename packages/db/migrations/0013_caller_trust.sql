ALTER TABLE "agents" ADD COLUMN "caller_context" text DEFAULT 'limited' NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "sms_recipients" text DEFAULT 'caller' NOT NULL;