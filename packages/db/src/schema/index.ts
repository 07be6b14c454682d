/**
 * The whole Switchboard data model (Postgres dialect; the same migrations run on PGlite
 * and Postgres), one file per area. Every row that belongs to a customer carries
 * `organization_id`, and every query in the server is scoped by it.
 */
export * from './calls.ts';
export * from './campaigns.ts';
export { type BusinessHours, organizations } from './columns.ts';
export * from './crm.ts';
export * from './knowledge.ts';
export * from './organization.ts';
export * from './security.ts';
export * from './sip.ts';
export * from './webhooks.ts';
export * from './widget.ts';
