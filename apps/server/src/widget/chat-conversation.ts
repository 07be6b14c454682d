/**
 * One open website chat (docs/widget.md "Chat socket"): each visitor message is checked (JSON,
 * size, rate, one reply at a time), stored as a transcript line, and answered by the text agent
 * loop with the agent's tools; deltas stream as `{type:'delta'}` and each reply ends with
 * exactly one `{type:'message', role:'assistant', text}`. Tool calls land on the call's
 * timeline. The conversation ends when the visitor leaves, a tool ends it, or it runs too long.
 */
import { type TestChatOutbound, widgetChatInboundSchema } from '@switchboard/shared';
import {
  addTextUsage,
  emptyTextUsage,
  runTextAgent,
  type TextMessage,
  type ToolRegistry,
  textChatControl,
} from '@switchboard/voice';
import type { CallRecorder } from '../call-record/recorder.ts';
import type { WidgetLimits } from '../config.ts';
import type { Logger } from '../context.ts';
import type { CallToolContext } from '../tools/context.ts';
import type { ChatPlan } from './chat-agent.ts';
import type { ChatLine } from './chat-call.ts';
import { modelErrorNotice, toolNotice } from './chat-notices.ts';

/** Most model requests for one visitor message (the last must answer in words). */
export const CHAT_MAX_ITERATIONS = 6;
export const CHAT_TIME_BUDGET_MS = 45_000;

export interface ChatSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

type EndReason = 'caller_hangup' | 'agent_hangup' | 'max_duration';

/** What a conversation needs once the visitor writes: its call's record and the chat plan. */
export type ChatStart = { ok: true; recorder: CallRecorder; plan: ChatPlan } | { ok: false; message: string };

export interface ChatConversationOptions {
  socket: ChatSocket;
  /** Stores the conversation (its call) and loads the plan; called on the first message. */
  begin: () => Promise<ChatStart>;
  registry: ToolRegistry<CallToolContext>;
  limits: WidgetLimits;
  log: Logger;
  now: () => number;
  history: ChatLine[];
  /** The studio's test chat: tool calls and model errors are shown as they are (chat-notices.ts). */
  test?: boolean;
  /** The session is over (awaited before the call becomes final, so a returning visitor finds it). */
  onEnd: () => Promise<void>;
}

export class ChatConversation {
  #history: TextMessage[];
  #sentAt: number[] = [];
  #busy = false;
  #ended = false;
  #abort = new AbortController();
  #usage = emptyTextUsage();
  #toolCalls = 0;
  #startedAt: number;
  #started: Extract<ChatStart, { ok: true }> | null = null;

  private readonly o: ChatConversationOptions;

  constructor(o: ChatConversationOptions) {
    this.o = o;
    this.#history = o.history.map((line) => ({ role: line.role, text: line.text }));
    this.#startedAt = o.now();
  }

  send(message: TestChatOutbound): void {
    if (!this.#ended) this.o.socket.send(JSON.stringify(message));
  }

  /** A frame from the visitor. Binary or malformed frames end the session (4400). */
  receive(data: Buffer, isBinary: boolean): void {
    if (this.#ended) return;
    const parsed = isBinary ? null : parseJson(data.toString('utf8'));
    const message = parsed === null ? null : widgetChatInboundSchema.safeParse(parsed);
    if (!message?.success) {
      this.send({
        type: 'error',
        code: 'bad_message',
        message: 'Send {"type":"message","text":"…"} as JSON text.',
      });
      this.o.socket.close(4400, 'bad message');
      return;
    }
    const text = message.data.text.trim();
    const refusal = this.#refusal(text);
    if (refusal) {
      this.send({ type: 'error', ...refusal });
      return;
    }
    this.#sentAt.push(this.o.now());
    void this.#reply(text);
  }

  /** Why this message is refused (the session stays open), or null. */
  #refusal(text: string): { code: string; message: string } | null {
    const { maxMessageChars, messagesPerMinute } = this.o.limits;
    if (!text) return { code: 'empty_message', message: 'Type a message first.' };
    if (text.length > maxMessageChars) {
      return {
        code: 'message_too_large',
        message: `Please keep messages under ${maxMessageChars} characters.`,
      };
    }
    if (this.#busy) return { code: 'busy', message: 'Please wait for the answer before sending more.' };
    const now = this.o.now();
    this.#sentAt = this.#sentAt.filter((at) => now - at < 60_000);
    if (this.#sentAt.length >= messagesPerMinute) {
      return { code: 'rate_limited', message: 'You are sending messages too quickly. Please wait a moment.' };
    }
    return null;
  }

  async #reply(text: string): Promise<void> {
    this.#busy = true;
    if (!this.#started) {
      const started = await this.o
        .begin()
        .catch((): ChatStart => ({ ok: false, message: 'could not start' }));
      if (!started.ok) {
        this.send({
          type: 'error',
          code: 'unavailable',
          message: 'The chat could not be started. Please try again later.',
        });
        this.#ended = true;
        this.o.socket.close(1011, 'unavailable');
        await this.o.onEnd();
        return;
      }
      this.#started = started;
      this.#startedAt = this.o.now();
    }
    const { plan, recorder } = this.#started;
    const { registry } = this.o;
    recorder.transcript('user', text);
    this.#history.push({ role: 'user', text });
    this.send({ type: 'typing' });
    const control = textChatControl();
    let explained = false;
    try {
      for await (const event of runTextAgent({
        model: plan.text.model,
        modelName: plan.text.modelName,
        instructions: plan.instructions,
        messages: this.#history,
        registry,
        tools: plan.tools,
        context: plan.context,
        control,
        maxIterations: CHAT_MAX_ITERATIONS,
        timeBudgetMs: CHAT_TIME_BUDGET_MS,
        signal: this.#abort.signal,
        maxOutputTokens: 600,
      })) {
        if (event.type === 'text_delta') this.send({ type: 'delta', text: event.text });
        else if (event.type === 'message') this.#history.push(event.message);
        else if (event.type === 'usage') addTextUsage(this.#usage, event.usage);
        else if (event.type === 'tool_call') {
          this.#toolCalls += 1;
          const args = parseJson(event.arguments) ?? event.arguments;
          if (this.o.test) this.send(toolNotice(event, args));
          recorder.event('tool_call', {
            name: event.name,
            arguments: args,
            ok: event.ok,
            result: event.ok ? event.result : undefined,
            error: event.error,
            durationMs: Math.round(event.durationMs),
          });
        } else if (event.type === 'error') {
          recorder.event('error', { code: event.code, message: event.message, recoverable: true });
          if (this.o.test) {
            explained = true;
            this.send(modelErrorNotice(event));
          }
        } else if (event.type === 'done') {
          const reply = event.result.text.trim();
          if (reply) {
            recorder.transcript('assistant', reply);
            this.send({ type: 'message', role: 'assistant', text: reply });
          } else if (!explained && !['aborted', 'ended'].includes(event.result.stopReason)) {
            this.send({
              type: 'error',
              code: 'no_answer',
              message: 'Sorry, I could not answer just now. Please try again.',
            });
          }
        }
      }
    } catch (error) {
      this.o.log.error({ err: error }, 'widget chat reply failed');
      this.send({
        type: 'error',
        code: 'no_answer',
        message: 'Sorry, I could not answer just now. Please try again.',
      });
    } finally {
      this.#busy = false;
    }
    if (control.ended) await this.end('agent_hangup', control.endReason);
  }

  /** Ends the conversation once: the call's record is written, the socket closed. */
  async end(reason: EndReason, detail?: string): Promise<void> {
    if (this.#ended) return;
    if (reason !== 'caller_hangup') this.send({ type: 'ended', reason });
    this.#ended = true;
    this.#abort.abort();
    const durationMs = this.o.now() - this.#startedAt;
    const usage = { ...this.#usage, toolCalls: this.#toolCalls };
    const started = this.#started;
    if (!started) {
      this.o.socket.close(1000, reason);
      await this.o.onEnd();
      return;
    }
    await this.o.onEnd();
    await started.recorder.finish(
      {
        reason,
        ...(detail ? { detail } : {}),
        durationMs,
        usage: {
          inputTokens: usage.inputTokens,
          outputTokens: usage.outputTokens,
          totalTokens: usage.totalTokens,
          cachedInputTokens: usage.cachedInputTokens,
          inputTextTokens: usage.inputTokens,
          outputTextTokens: usage.outputTokens,
          inputAudioTokens: 0,
          outputAudioTokens: 0,
        },
        latency: { count: 0, p50Ms: null, p90Ms: null, maxMs: null },
        bargeIns: 0,
        toolCalls: this.#toolCalls,
      },
      { usage: { ...usage, textModel: started.plan.text.modelName } },
    );
    this.o.socket.close(1000, reason);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
