-- Full-text search over transcripts (GET /api/calls?q=). An expression index rather than a stored
-- tsvector column, so the words exist only in the segment text and go away with it (erase,
-- retention). The 'simple' configuration does not stem: it works the same for every language.
CREATE INDEX IF NOT EXISTS "transcript_text_search_idx" ON "transcript_segments" USING gin (to_tsvector('simple', "text"));
--> statement-breakpoint
-- Business hours move from {"1": ["09:00-17:00"]} (0 = Sunday) to {"mon": [["09:00","17:00"]]},
-- the shape the API speaks.
UPDATE "organizations" SET "business_hours" = (
  SELECT jsonb_object_agg(d.name, coalesce((
    SELECT jsonb_agg(jsonb_build_array(split_part(r, '-', 1), split_part(r, '-', 2)))
    FROM jsonb_array_elements_text("business_hours" -> d.num) r), '[]'::jsonb))
  FROM (VALUES ('1','mon'),('2','tue'),('3','wed'),('4','thu'),('5','fri'),('6','sat'),('0','sun')) d(num, name)
) WHERE "business_hours" IS NOT NULL AND NOT "business_hours" ? 'mon';
--> statement-breakpoint
UPDATE "agents" SET "business_hours" = (
  SELECT jsonb_object_agg(d.name, coalesce((
    SELECT jsonb_agg(jsonb_build_array(split_part(r, '-', 1), split_part(r, '-', 2)))
    FROM jsonb_array_elements_text("business_hours" -> d.num) r), '[]'::jsonb))
  FROM (VALUES ('1','mon'),('2','tue'),('3','wed'),('4','thu'),('5','fri'),('6','sat'),('0','sun')) d(num, name)
) WHERE "business_hours" IS NOT NULL AND NOT "business_hours" ? 'mon';
