/**
 * Optional extensions of the model contract for calls that outlive one provider connection.
 * A session MAY emit these events in addition to {@link ModelSessionEvents}; sessions that
 * don't simply never fire them. `ResilientModel` listens for them; `CallSession` never needs to.
 */
import type { EventSource } from '../emitter.ts';
import type { ModelConnectOptions, ModelSession } from './types.ts';

export interface SessionLifecycleEvents {
  /** The provider will close this connection soon (Gemini `goAway`). `timeLeftMs` when known. */
  going_away: { timeLeftMs?: number; reason: string };
  /**
   * Resumption state changed. `handle` is the latest handle that resumes the conversation on a
   * new connection (`connect({ resume })`); `resumable` is false while the model is mid-turn or
   * waiting for a tool, when resuming would lose the work in progress.
   */
  resumption: { handle: string | undefined; resumable: boolean };
  /** The provider withdrew tool calls (the caller interrupted); their results will be dropped. */
  tool_calls_cancelled: { callIds: string[] };
}

/** Connect options of a model whose `capabilities.sessionResumption` is true. */
export interface ResumableConnectOptions extends ModelConnectOptions {
  /** Continue the conversation of an earlier connection instead of starting a new one. */
  resume?: { handle: string };
}

/** The lifecycle side of any session (a no-op source for sessions that never emit them). */
export function lifecycleEvents(session: ModelSession): EventSource<SessionLifecycleEvents> {
  return session as unknown as EventSource<SessionLifecycleEvents>;
}
