/**
 * The tool loop of one call: runs model tool calls through the registry (several may run at
 * once), returns each result to the model, and says when a reply is due (all results sent, none
 * running). Hang-up aborts `signal`, which every run's context carries.
 */
import type { FunctionDeclaration, ModelSession, ModelSessionEvents } from '../realtime/types.ts';
import { type ToolRegistry, toolOutputForModel } from '../tools/registry.ts';
import type { CallControl, ToolContext, ToolRunResult } from '../tools/types.ts';
import type { CallSessionEvents } from './types.ts';

export interface ToolCallsOptions<C> {
  registry: ToolRegistry<C>;
  control: CallControl;
  /** The call's signal: aborted on hang-up. */
  signal: AbortSignal;
  /** ms since call start. */
  now: () => number;
  emit: (event: CallSessionEvents['tool_call']) => void;
  /** After each run finished (result sent or dropped). */
  onSettled: () => void;
}

export class ToolCalls<C> {
  #o: ToolCallsOptions<C>;
  #context: C | undefined;
  #enabled = new Set<string>();
  #model: ModelSession | undefined;
  #runs = new Set<Promise<void>>();
  /** Per-run cancellation, for calls the model withdraws (Gemini `toolCallCancellation`). */
  #cancellers = new Map<string, AbortController>();
  #replyDue = false;
  #calls = 0;

  constructor(options: ToolCallsOptions<C>) {
    this.#o = options;
  }

  configure(context: C, enabledTools: readonly string[]): void {
    this.#context = context;
    this.#enabled = new Set(enabledTools);
  }

  /** Declarations of the enabled tools for the model, the call's own tools (context) included. */
  declarations(): FunctionDeclaration[] {
    return this.#o.registry.declarations([...this.#enabled], this.#context);
  }

  attach(model: ModelSession): void {
    this.#model = model;
  }

  get running(): number {
    return this.#runs.size;
  }

  start(call: ModelSessionEvents['tool_call']): void {
    this.#calls++;
    const run: Promise<void> = this.#run(call)
      .catch(() => {})
      .finally(() => {
        this.#runs.delete(run);
        this.#o.onSettled();
      });
    this.#runs.add(run);
  }

  /** True once when results were sent and no run is left; the session then asks for a reply. */
  takeReplyDue(): boolean {
    if (this.#runs.size > 0 || !this.#replyDue) return false;
    this.#replyDue = false;
    return true;
  }

  /** The model withdrew these calls: abort their runs and send no result for them. */
  cancel(callIds: readonly string[]): void {
    for (const id of callIds) this.#cancellers.get(id)?.abort();
  }

  /** Resolves when every run in flight has finished (they finish fast once `signal` aborts). */
  async settled(): Promise<void> {
    while (this.#runs.size > 0) await Promise.allSettled([...this.#runs]);
  }

  stats(): { calls: number } {
    return { calls: this.#calls };
  }

  async #run(call: ModelSessionEvents['tool_call']): Promise<void> {
    const canceller = new AbortController();
    this.#cancellers.set(call.callId, canceller);
    const signal = AbortSignal.any([this.#o.signal, canceller.signal]);
    try {
      await this.#execute(call, signal);
    } finally {
      this.#cancellers.delete(call.callId);
    }
  }

  async #execute(call: ModelSessionEvents['tool_call'], signal: AbortSignal): Promise<void> {
    const ctx = {
      ...(this.#context as C),
      signal,
      control: this.#o.control,
      toolCallId: call.callId,
    } as ToolContext<C>;
    const result: ToolRunResult = this.#enabled.has(call.name)
      ? await this.#o.registry.run(call.name, call.arguments, ctx)
      : {
          ok: false,
          error: { code: 'unknown_tool', message: `No tool named "${call.name}" is available.` },
          durationMs: 0,
        };
    this.#o.emit({
      callId: call.callId,
      name: call.name,
      arguments: parseArguments(call.arguments),
      ok: result.ok,
      ...(result.ok ? { result: result.result } : { error: result.error }),
      durationMs: result.durationMs,
      atMs: this.#o.now(),
    });
    if (signal.aborted) return;
    this.#model?.sendToolResult(call.callId, toolOutputForModel(result), { name: call.name });
    this.#replyDue = true;
  }
}

function parseArguments(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
