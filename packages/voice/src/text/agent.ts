/**
 * The text agent loop (website chat, text test chat, supervisor): instructions + history + the
 * agent's enabled tools → stream the model's reply, run the tool calls it asks for through the
 * same `ToolRegistry` calls use, feed the results back, and repeat until it answers in words —
 * bounded by an iteration cap, a time budget and the caller's AbortSignal. Yields typed events;
 * the last one is always `done`.
 *
 *   for await (const event of runTextAgent({ model, modelName, instructions, messages, registry,
 *       tools: agent.tools, context })) {
 *     if (event.type === 'text_delta') socket.send(event.text);
 *     if (event.type === 'done') history.push(...event.result.messages);
 *   }
 */
import type { ToolRegistry } from '../tools/registry.ts';
import { toolOutputForModel } from '../tools/registry.ts';
import type { CallControl, ToolError, ToolRunResult } from '../tools/types.ts';
import { type TextChatControl, textChatControl } from './chat-control.ts';
import { TextModelError } from './errors.ts';
import {
  addTextUsage,
  emptyTextUsage,
  type TextMessage,
  type TextModel,
  type TextResponse,
  type TextToolCall,
  type TextUsage,
} from './types.ts';

export const DEFAULT_MAX_ITERATIONS = 6;
export const DEFAULT_TIME_BUDGET_MS = 60_000;
/** A tool result longer than this (characters) is cut before the model reads it. */
export const MAX_TOOL_OUTPUT_CHARS = 16_000;

export interface TextAgentOptions<C> {
  model: TextModel;
  /** Model id for `model`. */
  modelName: string;
  instructions: string;
  /** The conversation so far (not modified); usually ends with the user's new message. */
  messages: readonly TextMessage[];
  registry: ToolRegistry<C>;
  /** The agent's enabled tool names; calls to any other tool are refused as unknown. */
  tools: readonly string[];
  /** The caller's tool context (organization, conversation ids…); the loop adds the runtime. */
  context: C;
  /** Call control for tools (default `textChatControl()`: end_call ends the run, transfers are refused). */
  control?: TextChatControl;
  /** Most model requests in this run (default 6, 1–20). The last one must answer in words. */
  maxIterations?: number;
  /** Whole-run deadline, ms (default 60 000). */
  timeBudgetMs?: number;
  signal?: AbortSignal;
  maxOutputTokens?: number;
  temperature?: number;
}

export type TextAgentStopReason =
  | 'completed' // the model answered in words
  | 'max_iterations' // the cap was reached while the model still wanted tools
  | 'time_budget'
  | 'aborted'
  | 'ended' // a tool ended the conversation (end_call)
  | 'error'; // the model request failed (see `error`)

export interface TextAgentResult {
  /** The last assistant text of this run ('' when there was none). */
  text: string;
  /** Messages this run added to the conversation, in order (assistant and tool). */
  messages: TextMessage[];
  usage: TextUsage;
  /** Model requests made. */
  iterations: number;
  stopReason: TextAgentStopReason;
  error?: TextModelError;
}

export type TextAgentEvent =
  | { type: 'text_delta'; text: string; iteration: number }
  | { type: 'tool_started'; id: string; name: string; arguments: string }
  | {
      type: 'tool_call';
      id: string;
      name: string;
      arguments: string;
      ok: boolean;
      result?: unknown;
      error?: ToolError;
      durationMs: number;
    }
  /** A message added to the conversation (the assistant's reply, a tool result). */
  | { type: 'message'; message: TextMessage }
  | { type: 'usage'; usage: TextUsage; model: string; iteration: number }
  | { type: 'error'; code: TextModelError['code']; message: string; retryable: boolean }
  | { type: 'done'; result: TextAgentResult };

export async function* runTextAgent<C>(options: TextAgentOptions<C>): AsyncGenerator<TextAgentEvent> {
  const maxIterations = Math.min(
    Math.max(Math.trunc(options.maxIterations ?? DEFAULT_MAX_ITERATIONS), 1),
    20,
  );
  const budgetMs = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const deadline = performance.now() + budgetMs;
  const budget = AbortSignal.timeout(budgetMs);
  const signal = options.signal ? AbortSignal.any([options.signal, budget]) : budget;
  const chat = options.control ?? textChatControl();
  const enabled = new Set(options.tools);
  // With the context: the call's own tools (MCP) are declared too.
  const declarations = options.registry.declarations(options.tools, options.context);
  const added: TextMessage[] = [];
  const usage = emptyTextUsage();
  let text = '';
  let iterations = 0;

  const finish = (stopReason: TextAgentStopReason, error?: TextModelError): TextAgentEvent => ({
    type: 'done',
    result: { text, messages: added, usage, iterations, stopReason, ...(error ? { error } : {}) },
  });
  const stopped = (): TextAgentStopReason | undefined => {
    if (options.signal?.aborted) return 'aborted';
    return budget.aborted || performance.now() >= deadline ? 'time_budget' : undefined;
  };

  while (iterations < maxIterations) {
    iterations++;
    const forceText = iterations === maxIterations && iterations > 1;
    let response: TextResponse | undefined;
    try {
      for await (const event of options.model.stream({
        model: options.modelName,
        instructions: options.instructions,
        messages: [...options.messages, ...added],
        ...(declarations.length ? { tools: declarations, toolChoice: forceText ? 'none' : 'auto' } : {}),
        ...(options.maxOutputTokens !== undefined ? { maxOutputTokens: options.maxOutputTokens } : {}),
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        signal,
        timeoutMs: Math.max(1, Math.round(deadline - performance.now())),
      })) {
        if (event.type === 'text_delta')
          yield { type: 'text_delta', text: event.text, iteration: iterations };
        else response = event.response;
      }
    } catch (error) {
      const reason = stopped();
      if (reason) {
        yield finish(reason);
        return;
      }
      const failure =
        error instanceof TextModelError
          ? error
          : new TextModelError('protocol', 'the model stream failed', { cause: error });
      yield { type: 'error', code: failure.code, message: failure.message, retryable: failure.retryable };
      yield finish('error', failure);
      return;
    }
    if (!response) throw new Error('text model stream ended without a response');
    addTextUsage(usage, response.usage);
    yield { type: 'usage', usage: response.usage, model: response.model, iteration: iterations };
    added.push(response.message);
    yield { type: 'message', message: response.message };
    if (response.text !== '') text = response.text;
    if (response.toolCalls.length === 0) {
      yield finish(forceText ? 'max_iterations' : 'completed');
      return;
    }
    if (forceText) break;
    for (const call of response.toolCalls) {
      const reason = stopped();
      if (reason) {
        yield finish(reason);
        return;
      }
      yield { type: 'tool_started', id: call.id, name: call.name, arguments: call.arguments };
      const result = await runTool(options, enabled, call, signal, chat.control);
      yield {
        type: 'tool_call',
        id: call.id,
        name: call.name,
        arguments: call.arguments,
        ok: result.ok,
        ...(result.ok ? { result: result.result } : { error: result.error }),
        durationMs: result.durationMs,
      };
      const message: TextMessage = {
        role: 'tool',
        toolCallId: call.id,
        name: call.name,
        output: boundOutput(toolOutputForModel(result)),
      };
      added.push(message);
      yield { type: 'message', message };
    }
    if (chat.ended) {
      yield finish('ended');
      return;
    }
  }
  yield finish(stopped() ?? 'max_iterations');
}

/** Runs the agent to the end; `onEvent` sees every event on the way. */
export async function completeTextAgent<C>(
  options: TextAgentOptions<C>,
  onEvent?: (event: TextAgentEvent) => void,
): Promise<TextAgentResult> {
  for await (const event of runTextAgent(options)) {
    onEvent?.(event);
    if (event.type === 'done') return event.result;
  }
  throw new Error('text agent ended without a result');
}

function runTool<C>(
  options: TextAgentOptions<C>,
  enabled: ReadonlySet<string>,
  call: TextToolCall,
  signal: AbortSignal,
  control: CallControl,
): Promise<ToolRunResult> {
  if (!enabled.has(call.name)) {
    const error: ToolError = { code: 'unknown_tool', message: `No tool named "${call.name}" is available.` };
    return Promise.resolve({ ok: false, error, durationMs: 0 });
  }
  return options.registry.run(call.name, call.arguments, {
    ...options.context,
    signal,
    control,
    toolCallId: call.id,
  });
}

function boundOutput(output: string): string {
  if (output.length <= MAX_TOOL_OUTPUT_CHARS) return output;
  return JSON.stringify({ truncated: true, partial: output.slice(0, MAX_TOOL_OUTPUT_CHARS) });
}
