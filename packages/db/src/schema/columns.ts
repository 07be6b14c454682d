/**
 * The organizations table, which every customer row hangs from, and the column helpers shared
 * by every table (in one module so that `orgId()` can point at `organizations` without an
 * import cycle).
 */
import type { WeeklyHours } from '@switchboard/shared';
import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Weekly opening hours: weekday → ["HH:MM", "HH:MM"] ranges in local time (absent or empty: closed). */
export type BusinessHours = Partial<WeeklyHours>;

export const id = () => uuid('id').primaryKey().defaultRandom();
export const orgId = () =>
  uuid('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' });
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const organizations = pgTable('organizations', {
  id: id(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('UTC'),
  businessHours: jsonb('business_hours').$type<BusinessHours>(),
  /** Local dates (YYYY-MM-DD) closed all day. */
  holidays: jsonb('holidays').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  /** ISO 3166-1 alpha-2 country that local (national-format) phone numbers are read in. */
  defaultCountry: text('default_country').notNull().default('US'),
  /** Days after a call before its recording / transcript is deleted (null: kept). */
  recordingsRetentionDays: integer('recordings_retention_days'),
  transcriptsRetentionDays: integer('transcripts_retention_days'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
