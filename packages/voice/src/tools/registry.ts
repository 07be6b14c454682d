import { z } from 'zod';
import type { FunctionDeclaration } from '../realtime/types.ts';
import type { ToolContext, ToolDefinition, ToolError, ToolRunResult } from './types.ts';

const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
/** Default per-tool timeout, ms. */
export const DEFAULT_TOOL_TIMEOUT_MS = 10_000;
const MIN_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 120_000;

type AnyTool<C> = ToolDefinition<z.ZodType, C>;

/**
 * Where a call's own tools are found in its context (tools that exist only for some calls,
 * such as an organization's MCP tools). They are declared and run like registered tools.
 */
export interface CallToolSource<C> {
  toolsFor(context: C): ReadonlyMap<string, ToolDefinition<z.ZodType, C>> | undefined;
}

/**
 * The tools a call may use. Register once at boot; `run` is safe to call from socket callbacks:
 * it always resolves, with a structured error the model can read when something goes wrong.
 */
export class ToolRegistry<C = unknown> {
  #tools = new Map<string, AnyTool<C>>();
  /** JSON-schema declarations, built once per tool (they are immutable after registration). */
  #declarations = new Map<string, FunctionDeclaration>();
  #callTools: CallToolSource<C> | undefined;

  /** Adds a tool. Throws on an invalid or duplicate name (a boot-time programming error). */
  register<S extends z.ZodType>(tool: ToolDefinition<S, C>): this {
    if (!NAME_PATTERN.test(tool.name)) throw new Error(`invalid tool name: ${tool.name}`);
    if (this.#tools.has(tool.name)) throw new Error(`tool already registered: ${tool.name}`);
    const timeoutMs = tool.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    if (!(timeoutMs >= MIN_TIMEOUT_MS && timeoutMs <= MAX_TIMEOUT_MS)) {
      throw new Error(`tool ${tool.name}: timeoutMs must be ${MIN_TIMEOUT_MS}–${MAX_TIMEOUT_MS}`);
    }
    this.#tools.set(tool.name, tool as unknown as AnyTool<C>);
    return this;
  }

  /** Looks up call-scoped tools in each call's context (after the registered ones). */
  useCallTools(source: CallToolSource<C>): this {
    this.#callTools = source;
    return this;
  }

  has(name: string): boolean {
    return this.#tools.has(name);
  }

  names(): string[] {
    return [...this.#tools.keys()];
  }

  /**
   * JSON-schema function declarations for the enabled tools (all when `enabledNames` is
   * omitted), in the order given. Unknown names are skipped (an agent may list a tool this
   * build does not have); check with `has` to report them. With the call's `context`, its
   * call-scoped tools (`useCallTools`) are declared too, and a tool with `declareFor` is
   * declared as that call's variant.
   */
  declarations(enabledNames?: readonly string[], context?: C): FunctionDeclaration[] {
    const names = enabledNames ?? this.names();
    const callTools = context === undefined ? undefined : this.#callTools?.toolsFor(context);
    const out: FunctionDeclaration[] = [];
    for (const name of new Set(names)) {
      const registered = this.#tools.get(name);
      const scoped = registered ? undefined : callTools?.get(name);
      const variant = context === undefined ? undefined : registered?.declareFor?.(context);
      const declaration = scoped
        ? declare(scoped)
        : variant && registered
          ? declare({ name, handler: registered.handler, ...variant })
          : this.#declaration(name);
      if (declaration) out.push(declaration);
    }
    return out;
  }

  /** The usage hints of the enabled tools that have one (all tools when omitted), by name. */
  hints(enabledNames?: readonly string[]): Record<string, string> {
    const hints: Record<string, string> = {};
    for (const name of enabledNames ?? this.names()) {
      const hint = this.#tools.get(name)?.hint;
      if (hint) hints[name] = hint;
    }
    return hints;
  }

  /**
   * One frozen declaration per registered tool, shared by every call (a live call keeps its
   * declarations for reconnects: a copy per call was ≈ 1 KiB per tool; docs/PERFORMANCE.md,
   * "memory per call"). Frozen, so a caller that tried to change it would throw, not alter others.
   */
  #declaration(name: string): FunctionDeclaration | undefined {
    const cached = this.#declarations.get(name);
    if (cached) return cached;
    const tool = this.#tools.get(name);
    if (!tool) return undefined;
    const declaration = deepFreeze(declare(tool));
    this.#declarations.set(name, declaration);
    return declaration;
  }

  /**
   * Parses `rawJsonArgs`, validates them, runs the handler with a timeout and resolves with the
   * outcome. Never throws. The handler's `ctx.signal` aborts on timeout or when `ctx.signal`
   * (the call) aborts; a handler that ignores it keeps running, but its result is discarded.
   */
  async run(name: string, rawJsonArgs: string, ctx: ToolContext<C>): Promise<ToolRunResult> {
    const startedAt = performance.now();
    const done = (
      outcome: { ok: true; result: unknown } | { ok: false; error: ToolError; cause?: unknown },
    ) => ({ ...outcome, durationMs: Math.round(performance.now() - startedAt) }) as ToolRunResult;

    const tool = this.#tools.get(name) ?? this.#callTools?.toolsFor(ctx)?.get(name);
    if (!tool) return done(failure('unknown_tool', `No tool named "${name}" is available.`));

    let json: unknown;
    try {
      json = rawJsonArgs.trim() === '' ? {} : JSON.parse(rawJsonArgs);
    } catch {
      return done(failure('bad_arguments', 'Arguments are not valid JSON.'));
    }
    const parsed = tool.parameters.safeParse(json);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
      return done(failure('bad_arguments', 'Arguments do not match the tool schema.', details));
    }
    if (ctx.signal.aborted) return done(failure('cancelled', 'The call ended before the tool ran.'));

    return done(await runWithTimeout(tool, parsed.data, ctx));
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function declare<C>(tool: AnyTool<C>): FunctionDeclaration {
  if (tool.jsonSchema)
    return { name: tool.name, description: tool.description, parameters: structuredClone(tool.jsonSchema) };
  // `io: 'input'`: the model writes the input side (fields with defaults are optional).
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(tool.parameters, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return { name: tool.name, description: tool.description, parameters };
}

async function runWithTimeout<C>(
  tool: AnyTool<C>,
  args: unknown,
  ctx: ToolContext<C>,
): Promise<{ ok: true; result: unknown } | { ok: false; error: ToolError; cause?: unknown }> {
  const timeoutMs = tool.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  const timeout = new AbortController();
  const signal = AbortSignal.any([ctx.signal, timeout.signal]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;

  const stopped = new Promise<{ ok: false; error: ToolError }>((resolve) => {
    timer = setTimeout(() => {
      timeout.abort();
      resolve(failure('timeout', `The tool did not finish within ${timeoutMs} ms.`));
    }, timeoutMs);
    onAbort = () => resolve(failure('cancelled', 'The call ended while the tool was running.'));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });

  const work = (async () => {
    const result = await tool.handler(args, { ...ctx, signal });
    return { ok: true as const, result };
  })().catch((cause: unknown) => {
    if (cause instanceof ToolFailure) return { ...failure('failed', cause.message, cause.details), cause };
    return { ...failure('failed', `The tool "${tool.name}" failed.`), cause };
  });

  try {
    return await Promise.race([work, stopped]);
  } finally {
    clearTimeout(timer);
    if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Throw from a handler to tell the model why it failed (`message` is shown to the model, so
 * keep it free of secrets). Anything else thrown becomes a generic "the tool failed".
 */
export class ToolFailure extends Error {
  override readonly name = 'ToolFailure';
  readonly details: unknown;
  constructor(message: string, details?: unknown) {
    super(message);
    this.details = details;
  }
}

function failure(code: ToolError['code'], message: string, details?: unknown) {
  const error: ToolError = details === undefined ? { code, message } : { code, message, details };
  return { ok: false as const, error };
}

/** The string sent back to the model for a run: the JSON result, or `{ "error": {…} }`. */
export function toolOutputForModel(result: ToolRunResult): string {
  if (!result.ok) return JSON.stringify({ error: result.error });
  try {
    return JSON.stringify(result.result === undefined ? { ok: true } : result.result);
  } catch {
    return JSON.stringify({ error: { code: 'failed', message: 'The tool result could not be serialised.' } });
  }
}
