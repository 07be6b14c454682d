/**
 * Tool runtime contracts. Tool handlers (create_lead, book_appointment, …) live in the server;
 * the registry validates arguments, enforces timeouts and never throws.
 */
import type { z } from 'zod';

/**
 * Call-control hooks the server implements (Twilio REST: update the live call).
 * Both reject on failure; the session catches and reports.
 */
export interface CallControlHooks {
  /** Ends the phone call now. `reason` is a short code (`agent_hangup`, `max_duration`…). */
  hangup(reason: string): Promise<void>;
  /** Replaces the call's TwiML (transfer with `<Dial>`, apology `<Say>`); the stream then stops. */
  redirect(twiml: string): Promise<void>;
}

/** What tool handlers (and DTMF actions) use to steer the call. Provided by `CallSession`. */
export interface CallControl extends CallControlHooks {
  /**
   * Resolves when all audio sent to the caller so far has been played (Twilio marks), was
   * cleared by a barge-in, or the call ended. Never rejects.
   */
  afterPlayback(): Promise<void>;
  /**
   * Ends the call: stops further model turns, optionally waits for playback (default true, so
   * the goodbye finishes), then hangs up. Resolves once the hang-up was requested.
   */
  endCall(opts?: { reason?: string; afterPlayback?: boolean }): Promise<void>;
  /** Like `endCall` but redirects to `twiml` (a `<Dial>` transfer) instead of hanging up. */
  transfer(twiml: string, opts?: { afterPlayback?: boolean }): Promise<void>;
}

/** Runtime fields added to the caller's context for each tool run. */
export interface ToolRuntime {
  /** Aborted when the call ends or the tool times out. Pass it to fetch/db calls. */
  signal: AbortSignal;
  /** Call control (hang up, transfer, wait for playback). */
  control: CallControl;
  /** The model's id for this call of the tool. */
  toolCallId: string;
}

/** The context a handler receives: the caller's plain object `C` plus {@link ToolRuntime}. */
export type ToolContext<C> = C & ToolRuntime;

export interface ToolDefinition<S extends z.ZodType = z.ZodType, C = unknown> {
  /** Function name the model uses (`^[a-zA-Z0-9_-]{1,64}$`). */
  name: string;
  /** Told to the model in the function declaration: when to call it and what it does. */
  description: string;
  /**
   * How to use it in the conversation, one sentence for the system instructions: listed under
   * `# Tools` when the tool is enabled (`ToolRegistry.hints`, `composeInstructions`).
   */
  hint?: string;
  /** Zod schema of the arguments object; converted to JSON Schema for the model. */
  parameters: S;
  /**
   * The JSON Schema the model is given instead of `parameters` converted (tools declared
   * elsewhere in JSON Schema, e.g. MCP tools; `parameters` then only checks the shape).
   */
  jsonSchema?: Record<string, unknown>;
  /**
   * How the tool is declared for one call when that differs by call (e.g. an agent setting
   * narrows an argument): the description and the parameters the model is given instead.
   * The arguments are still checked against `parameters`, which must accept the variant's.
   */
  declareFor?(context: C): { description: string; parameters: z.ZodType } | undefined;
  /** Per-tool timeout, ms (default 10 000, bounds 100–120 000). */
  timeoutMs?: number;
  /** Does the work. The resolved value is JSON-serialised for the model. */
  handler(args: z.output<S>, ctx: ToolContext<C>): unknown;
}

export type ToolErrorCode = 'bad_arguments' | 'unknown_tool' | 'timeout' | 'cancelled' | 'failed';

export interface ToolError {
  code: ToolErrorCode;
  /** Safe to show the model: no stack, no secrets. */
  message: string;
  /** e.g. zod issues for `bad_arguments`. */
  details?: unknown;
}

/** Outcome of `ToolRegistry.run`; never a rejection. */
export type ToolRunResult = (
  | { ok: true; result: unknown }
  | {
      ok: false;
      error: ToolError;
      /** What the handler threw, for the server's logs; never sent to the model. */
      cause?: unknown;
    }
) & {
  durationMs: number;
};
