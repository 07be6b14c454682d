/**
 * One "Test in browser" call (WS /api/browser-call; docs/telephony.md "Browser calls"), top to
 * bottom like a phone call: admit it (admit-browser-call.ts: the user's token, the agent, the
 * call row), load its setup (load-call-setup.ts), run it (run-call.ts), over a BrowserTransport
 * (PCM16 24 kHz). The browser hears about it in-band: `ready`, `transcript`, `ended`, and
 * `{type:'error'}` (then a close) when the call is refused or cannot go on. The website widget's
 * voice channel runs through here too, with its own admission (admit-widget-call.ts).
 */
import { randomUUID } from 'node:crypto';
import { BrowserTransport, type SocketLike, type ToolRegistry, waitForStart } from '@switchboard/voice';
import { watchPrincipal } from '../auth/principal-watch.ts';
import type { AppContext } from '../context.ts';
import type { CallToolContext } from '../tools/context.ts';
import { admitBrowserCall, type BrowserAdmission, type BrowserCallRequest } from './admit-browser-call.ts';
import type { AdmittedCall } from './admit-call.ts';
import type { ConcurrencyCaps } from './concurrency-caps.ts';
import { loadCallSetup } from './load-call-setup.ts';
import type { PendingHold } from './pending-sockets.ts';
import { type CallObserver, runCall, sessionDefaults } from './run-call.ts';

export type { BrowserCallRequest } from './admit-browser-call.ts';

/** How a browser call other than the dashboard's test call is admitted and bounded (the widget). */
export interface BrowserCallVariant {
  admit(transport: BrowserTransport): Promise<BrowserAdmission>;
  /** Caps the agent's own maximum call length. */
  maxDurationMs?: number;
  /** Runs once the call is over (or was refused after admission). */
  finished?(): Promise<void>;
}

/** The dashboard's test call (capped per user and organization), or another admission (the widget). */
export type BrowserCallOptions =
  | {
      caps: ConcurrencyCaps;
      /** The socket's place among those not yet admitted (freed once the checks are done). */
      pending?: PendingHold | undefined;
      variant?: undefined;
    }
  | { variant: BrowserCallVariant; caps?: undefined; pending?: undefined };

/** Takes over an accepted browser socket; never throws. */
export async function handleBrowserCall(
  ctx: AppContext,
  socket: SocketLike,
  request: BrowserCallRequest,
  tools: ToolRegistry<CallToolContext>,
  options: BrowserCallOptions,
): Promise<void> {
  const log = ctx.log.child({ component: 'browser-call' });
  // Listening from the first moment, so a `stop` or a close during the checks is not lost.
  const transport = new BrowserTransport({
    socket,
    callSid: `web-${randomUUID()}`,
    customParameters: request.agentId ? { agentId: request.agentId } : {},
    logger: log,
  });
  try {
    await waitForStart(transport);
    const admission = await (options.variant
      ? options.variant.admit(transport)
      : admitBrowserCall(ctx, transport, request, options.caps)
    ).finally(() => options.pending?.settle());
    if (!admission.ok) {
      if (admission.code === null) return; // the browser left during the checks
      log.info({ code: admission.code }, 'browser call refused');
      transport.reject(admission.code, admission.message);
      return;
    }
    const { admitted, release, principal } = admission;
    // The caller is re-checked while the call runs: a revoked session or key ends it (4401).
    const stopWatch = principal
      ? watchPrincipal({
          db: ctx.db,
          auth: principal,
          minimum: 'agent',
          onRevoked: () => transport.reject(4401, 'Your session was revoked; sign in again'),
          onError: (error) => log.warn({ err: error }, 'browser call: re-check failed'),
        })
      : undefined;
    try {
      await runBrowserCall(ctx, admitted, transport, tools, log, options.variant?.maxDurationMs);
    } finally {
      stopWatch?.();
      release?.();
    }
  } catch (error) {
    log.error({ err: error }, 'browser call failed to start');
    transport.reject(1011, 'The test call could not be started');
  } finally {
    await options.variant
      ?.finished?.()
      .catch((error: unknown) => log.error({ err: error }, 'browser call cleanup failed'));
  }
}

async function runBrowserCall(
  ctx: AppContext,
  admitted: AdmittedCall,
  transport: BrowserTransport,
  tools: ToolRegistry<CallToolContext>,
  log: AppContext['log'],
  maxDurationMs: number | undefined,
): Promise<void> {
  const loaded = await loadCallSetup(ctx, admitted, { tools, resume: null });
  if (loaded.ok && maxDurationMs) {
    const { setup } = loaded.plan;
    setup.maxDurationMs = Math.min(setup.maxDurationMs ?? maxDurationMs, maxDurationMs);
  }
  await runCall(admitted, loaded, {
    ...sessionDefaults(ctx),
    transport,
    tools,
    control: {
      // The session closes the socket right after.
      hangup: async (reason) => admitted.record.event('hangup', { reason }),
      redirect: async () => {
        throw new Error('Transfers are only possible on phone calls');
      },
    },
    log: log.child({ callId: admitted.call.id, callSid: transport.callSid }),
    observer: browserNotices(transport, admitted.call.id),
  });
}

/** What the page is told about its call. */
function browserNotices(transport: BrowserTransport, callId: string): CallObserver {
  // Once an `error` told the browser why, `ended` would only overwrite it.
  let explained = false;
  return {
    refused: (message) => {
      explained = true;
      transport.notify({ type: 'error', message: `The test call cannot start: ${message}.` });
    },
    failed: (detail, session) => {
      // Before `ready` the error is the whole story; mid-call `ended` still follows it.
      if (session.phase !== 'live') explained = true;
      transport.notify({ type: 'error', message: `The model connection failed (${detail}).` });
    },
    built: (session) => {
      session.on('ready', () => transport.notify({ type: 'ready', callId }));
      session.on('transcript', ({ role, text, final }) =>
        transport.notify({ type: 'transcript', role, text, final }),
      );
      session.on('ended', ({ reason }) => {
        if (!explained) transport.notify({ type: 'ended', reason });
      });
    },
  };
}
