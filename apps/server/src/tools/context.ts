/**
 * What every in-call tool handler receives (merged by the voice engine with `signal`,
 * `control` and `toolCallId`): the call's organization, ids and numbers. Handlers scope every
 * query by `organizationId`.
 */
import type { SmsRecipientMode } from '@switchboard/shared';
import type { ToolContext, ToolDefinition } from '@switchboard/voice';
import type { z } from 'zod';
import type { CallRecorder } from '../call-record/recorder.ts';
import type { AppContext } from '../context.ts';

export interface CallToolContext {
  organizationId: string;
  callId: string;
  agentId: string | null;
  /** Mutable: create_lead may attach a prospect to the call mid-call. */
  prospect: { id: string | null };
  direction: 'inbound' | 'outbound' | 'web';
  /** The other party's number (E.164) on phone calls; '' in the browser. */
  callerNumber: string;
  /** Our number on phone calls (the SMS sender); '' in the browser. */
  ourNumber: string;
  /** The agent's `smsRecipients`: whom send_sms may text (absent: the caller only). */
  smsRecipients?: SmsRecipientMode;
  /** The provider call SID (Twilio CA…, a SIP Call-ID); null for browser calls. */
  providerCallSid: string | null;
  /** What carries the call when it is not Twilio: `sip` for a SIP trunk (set by sip/run-sip-call.ts). */
  transport?: 'sip';
  /** The agent's time zone for calendars and spoken times. */
  timeZone: string;
  /** Persists side effects on the call's timeline. */
  recorder: CallRecorder;
  /** This call's own tools by function name (the agent's MCP tools, mcp/call-tools.ts). */
  callTools?: ReadonlyMap<string, ToolDefinition<z.ZodType, CallToolContext>>;
}

export type CallToolRunContext = ToolContext<CallToolContext>;

/** Dependencies tool handlers close over (database, config, clock, secrets, calls in this process). */
/** `jobs` sends customer webhook events (lead.created, appointment.booked, message.sent) when present. */
export type ToolDeps = Pick<
  AppContext,
  'db' | 'log' | 'config' | 'clock' | 'secrets' | 'live' | 'liveCalls'
> &
  Partial<Pick<AppContext, 'jobs'>>;
