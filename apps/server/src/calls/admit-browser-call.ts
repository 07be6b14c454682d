/**
 * Admission of a "Test in browser" call (docs/telephony.md "Browser calls"). The browser cannot
 * send headers, so the caller (`?ticket=`, single-use, or the deprecated `?token=`) is checked
 * here, after the upgrade, with the auth plugin's rules (role agent or higher); the agent must belong to the caller's organization. An admitted call
 * gets its row (direction `web`) unless the browser already left. A refusal carries the close
 * code: 4400 (no agentId), 4401 (token), 4403 (role), 4404 (agent not in the organization) or
 * 4429 (too many test calls at once for the user or the organization: BROWSER_CALLS_PER_USER,
 * BROWSER_CALLS_PER_ORG; each is a paid model session). The slot is freed by `release`.
 */
import { uuidSchema } from '@switchboard/shared';
import type { BrowserTransport } from '@switchboard/voice';
import type { AuthContext } from '../auth/roles.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { AgentRow } from '../mappers/agents.ts';
import { authorizeToken } from '../plugins/auth.ts';
import { getAgent } from '../services/get-agent.ts';
import { startWebCall } from '../services/start-web-call.ts';
import { type AdmittedCall, admitCall } from './admit-call.ts';
import type { ConcurrencyCaps } from './concurrency-caps.ts';

export interface BrowserCallRequest {
  /** Session JWT or API key (`?token=`, deprecated, or the Authorization header of non-browser clients). */
  token: string | undefined;
  /** Single-use ticket (`?ticket=`, POST /api/auth/ticket); wins over `token`. */
  ticket?: string | undefined;
  agentId: string | undefined;
}

const CLOSE_CODES = {
  bad_request: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  not_found: 4404,
  too_many: 4429,
  draining: 4503,
} as const;

export type BrowserAdmission =
  /** `release` frees the call's slot under the caps once it ended; `principal`: the caller, re-checked while the call runs. */
  | { ok: true; admitted: AdmittedCall; release?: () => void; principal?: AuthContext }
  /** Refused: tell the browser `message` and close with `code`. */
  | { ok: false; code: number; message: string }
  /** The browser left during the checks: nothing to do. */
  | { ok: false; code: null };

export async function admitBrowserCall(
  ctx: AppContext,
  transport: BrowserTransport,
  request: BrowserCallRequest,
  caps: ConcurrencyCaps,
): Promise<BrowserAdmission> {
  const checked = await check(ctx, request);
  if (!checked.ok) return checked;
  if (transport.closed) return { ok: false, code: null };
  if (ctx.lifecycle.draining) {
    return {
      ok: false,
      code: CLOSE_CODES.draining,
      message: 'The server is restarting; try again in a minute',
    };
  }
  const { perUser, perOrg } = ctx.config.limits.browserCalls;
  const slot = caps.acquire([
    { key: `user:${checked.who}`, limit: perUser },
    { key: `org:${checked.organizationId}`, limit: perOrg },
  ]);
  if (!slot.ok) {
    const message = slot.full.startsWith('user:')
      ? `You already have ${perUser} test call(s) running; end one first`
      : `Your organization already has ${perOrg} test call(s) running; end one first`;
    return { ok: false, code: CLOSE_CODES.too_many, message };
  }
  try {
    const call = await startWebCall(ctx, checked);
    const started = { transport: 'browser' as const, streamSid: transport.streamSid };
    const admitted = await admitCall(ctx, call, transport, started);
    return { ok: true, admitted, release: slot.release, principal: checked.auth };
  } catch (error) {
    slot.release();
    throw error;
  }
}

type Checked =
  /** `who`: the user, or the API key, that places the call. */
  | { ok: true; organizationId: string; agent: AgentRow; who: string; auth: AuthContext }
  | { ok: false; code: number; message: string };

async function check(ctx: AppContext, request: BrowserCallRequest): Promise<Checked> {
  const refuse = (code: keyof typeof CLOSE_CODES, message: string): Checked => ({
    ok: false,
    code: CLOSE_CODES[code],
    message,
  });
  if (!request.token && !request.ticket) {
    return refuse('unauthorized', 'Missing token: open with ?ticket= (from POST /api/auth/ticket)');
  }
  const authorized = await authorizeToken(ctx, request, 'agent');
  if (!authorized.ok) {
    const code = authorized.error.code === 'forbidden' ? 'forbidden' : 'unauthorized';
    return refuse(code, authorized.error.message);
  }
  const { organizationId, userId, apiKeyId } = authorized.auth;
  const who = userId ?? `key:${apiKeyId ?? organizationId}`;
  const agentId = uuidSchema.safeParse(request.agentId);
  if (!agentId.success) return refuse('bad_request', 'agentId must be the id of an agent');
  try {
    const agent = await getAgent(ctx, { organizationId, id: agentId.data });
    return { ok: true, organizationId, agent, who, auth: authorized.auth };
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return refuse('not_found', error.message);
    throw error;
  }
}
