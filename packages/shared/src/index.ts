/** Request/response schemas shared by the server and the dashboard (the API contract). */
export * from './agents.ts';
export * from './appointments.ts';
export * from './auth.ts';
export * from './call-events.ts';
export * from './calls.ts';
export * from './common.ts';
export * from './dashboard.ts';
export * from './integrations.ts';
export * from './messages.ts';
export * from './phone.ts';
export * from './phone-numbers.ts';
export * from './prospect-import.ts';
export * from './prospects.ts';
export * from './providers.ts';
export * from './sip-trunks.ts';
