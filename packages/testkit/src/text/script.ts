/**
 * Scripts for the text model fakes (OpenAI chat completions, Gemini generateContent). Each fake
 * reads its wire request into one provider-neutral `TextConversation`; the script turn that
 * answers is the first one, in order, whose `when` matches the conversation and that has uses
 * left. So a test describes a conversation ("when the user asks about Monday, call
 * check_availability; after check_availability, say the slot") and both fakes play it the same.
 */

export interface TextConversation {
  model: string;
  instructions: string;
  messages: Array<
    | { role: 'user'; text: string }
    | { role: 'assistant'; text: string; toolCalls: Array<{ name: string; arguments: unknown }> }
    | { role: 'tool'; name: string; output: unknown }
  >;
  /** Names of the declared function tools. */
  tools: string[];
  /** True when the request forbids tool calls this time (`tool_choice: none` / mode NONE). */
  toolsDisabled: boolean;
  /** The requested JSON output schema, if any. */
  outputSchema: unknown;
  stream: boolean;
}

/** What the model answers. */
export interface TextReply {
  /** Text (streamed in `chunkChars` pieces). */
  say?: string;
  /** Structured output: serialised as the reply text. */
  json?: unknown;
  /** Function calls (after `say`, if any). */
  toolCalls?: Array<{ name: string; arguments: Record<string, unknown> | string }>;
  /** Answer with an HTTP error instead (the provider's error body). */
  error?: TextFakeError;
  /** Think time before the answer (ms). */
  delayMs?: number;
  /** Override the finish reason (OpenAI `length`, Gemini `MAX_TOKENS`…). */
  finishReason?: string;
  /** Stop the stream after this many characters of text without finishing it (a dropped connection). */
  dropAfterChars?: number;
}

export interface TextFakeError {
  status: number;
  /** Provider error code (`rate_limit_exceeded`, `RESOURCE_EXHAUSTED`); a sensible one by status otherwise. */
  code?: string;
  message?: string;
  /** Sends `Retry-After`. */
  retryAfterSeconds?: number;
}

export type TextMatcher =
  | {
      /** The last user message contains this (case-insensitive) or matches the RegExp. */
      lastUser?: string | RegExp;
      /** The last message is a result of this tool. */
      afterTool?: string;
      /** The system instructions contain this or match. */
      instructions?: string | RegExp;
      /** A JSON output schema was (true) or was not (false) requested. */
      structured?: boolean;
    }
  | ((conversation: TextConversation) => boolean);

export interface TextScriptTurn extends TextReply {
  when?: TextMatcher;
  /** How often this turn may answer (default 1; `Infinity` = always). */
  times?: number;
}

export class TextScript {
  readonly turns: TextScriptTurn[];
  readonly #used: number[];
  readonly #fallback: TextReply;

  constructor(turns: TextScriptTurn[], fallback: TextReply = { say: 'Okay.' }) {
    this.turns = turns;
    this.#used = turns.map(() => 0);
    this.#fallback = fallback;
  }

  /** The reply for this conversation and the index of the turn that gave it (-1 = fallback). */
  take(conversation: TextConversation): { reply: TextReply; turnIndex: number } {
    for (const [index, turn] of this.turns.entries()) {
      if (this.#used[index]! >= (turn.times ?? 1)) continue;
      if (!matches(turn.when, conversation)) continue;
      this.#used[index]!++;
      return { reply: turn, turnIndex: index };
    }
    return { reply: this.#fallback, turnIndex: -1 };
  }
}

function matches(when: TextMatcher | undefined, c: TextConversation): boolean {
  if (!when) return true;
  if (typeof when === 'function') return when(c);
  const last = c.messages.at(-1);
  if (when.lastUser !== undefined) {
    const lastUser = [...c.messages].reverse().find((m) => m.role === 'user');
    if (!lastUser || !test(when.lastUser, lastUser.text)) return false;
  }
  if (when.afterTool !== undefined && !(last?.role === 'tool' && last.name === when.afterTool)) return false;
  if (when.instructions !== undefined && !test(when.instructions, c.instructions)) return false;
  if (when.structured !== undefined && when.structured !== (c.outputSchema !== undefined)) return false;
  return true;
}

function test(pattern: string | RegExp, text: string): boolean {
  return typeof pattern === 'string'
    ? text.toLowerCase().includes(pattern.toLowerCase())
    : pattern.test(text);
}

/** Rough token counts (≈ 4 characters a token), like the realtime fake's usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * What the model really answers: scripted calls are dropped when tools are disabled (the model
 * then answers in words) or name a tool the request did not declare (noted in `problems`).
 */
export function plannedReply(reply: TextReply, c: TextConversation, problems: string[]) {
  const scripted = c.toolsDisabled ? [] : (reply.toolCalls ?? []);
  for (const call of scripted.filter((x) => !c.tools.includes(x.name))) {
    problems.push(`scripted call to undeclared tool ${call.name}`);
  }
  const calls = scripted
    .filter((x) => c.tools.includes(x.name))
    .map((x) => ({
      name: x.name,
      arguments: typeof x.arguments === 'string' ? x.arguments : JSON.stringify(x.arguments),
    }));
  const text = replyText(reply) || (calls.length ? '' : 'I cannot do that right now.');
  return { text, calls };
}

/** The reply's text: `say`, or `json` serialised. */
export function replyText(reply: TextReply): string {
  return reply.json !== undefined ? JSON.stringify(reply.json) : (reply.say ?? '');
}

/** Splits text into stream pieces of about `size` characters. */
export function chunkText(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}
