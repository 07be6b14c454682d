ALTER TABLE "calls" ADD COLUMN "recording_key" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "recording" text DEFAULT 'off' NOT NULL;