/**
 * One suite for every text model adapter: each scenario runs the real adapter (and the agent
 * loop) over HTTP against the provider's fake in the test kit, with the same script, and
 * asserts only provider-neutral behaviour.
 */
import type { RecordedTextRequest, TextScriptTurn } from '@switchboard/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolRegistry } from '../../tools/registry.ts';
import { completeTextAgent, type TextAgentEvent, type TextAgentOptions } from '../agent.ts';
import { textChatControl } from '../chat-control.ts';
import type { TextModelOptions } from '../client.ts';
import { TextModelError } from '../errors.ts';
import { structuredOutput } from '../structured-output.ts';
import type { TextModel, TextProvider } from '../types.ts';

export interface TextTarget {
  provider: TextProvider;
  model: TextModel;
  modelName: string;
  requests: RecordedTextRequest[];
  problems: string[];
  failNext(failure: { status: number; times?: number; retryAfterSeconds?: number }): void;
  close(): Promise<void>;
}

export type MakeTextTarget = (options: {
  script: TextScriptTurn[];
  apiKey?: string;
  client?: Partial<TextModelOptions>;
  chunkDelayMs?: number;
}) => Promise<TextTarget>;

interface Ctx {
  organizationId: string;
}

function registry(seen: Array<{ tool: string; args: unknown; org: string }>) {
  return new ToolRegistry<Ctx>()
    .register({
      name: 'check_availability',
      description: 'Free slots on a day.',
      parameters: z.object({ day: z.enum(['monday', 'tuesday']) }),
      handler: (args, ctx) => {
        seen.push({ tool: 'check_availability', args, org: ctx.organizationId });
        return { slots: ['10:00', '14:00'] };
      },
    })
    .register({
      name: 'create_lead',
      description: 'Save the caller as a lead.',
      parameters: z.object({ name: z.string().min(1), email: z.email().optional() }),
      handler: (args, ctx) => {
        seen.push({ tool: 'create_lead', args, org: ctx.organizationId });
        return { leadId: 'lead-1' };
      },
    })
    .register({
      name: 'end_call',
      description: 'End the conversation.',
      parameters: z.object({ reason: z.string() }),
      handler: (args, ctx) => {
        void ctx.control.endCall({ reason: args.reason });
        return { ending: true };
      },
    });
}

const TOOLS = ['check_availability', 'create_lead', 'end_call'];

export function runTextConformanceSuite(name: string, makeTarget: MakeTextTarget): void {
  describe(`text model conformance: ${name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {});
    });
    const target = async (options: Parameters<MakeTextTarget>[0]) => {
      const t = await makeTarget(options);
      cleanups.push(() => t.close());
      return t;
    };
    const agent = (t: TextTarget, seen: Array<{ tool: string; args: unknown; org: string }>, text: string) =>
      ({
        model: t.model,
        modelName: t.modelName,
        instructions: 'You are the Acme receptionist.',
        messages: [{ role: 'user', text }],
        registry: registry(seen),
        tools: TOOLS,
        context: { organizationId: 'org-1' },
      }) satisfies TextAgentOptions<Ctx>;

    it('complete: one request with instructions and history, text and usage back', async () => {
      const t = await target({ script: [{ when: { lastUser: 'hours' }, say: 'We open at nine.' }] });
      const reply = await t.model.complete({
        model: t.modelName,
        instructions: 'Be brief.',
        messages: [
          { role: 'user', text: 'Hello' },
          { role: 'assistant', text: 'Hi, how can I help?' },
          { role: 'user', text: 'What are your hours?' },
        ],
      });
      expect(reply.text).toBe('We open at nine.');
      expect(reply.finishReason).toBe('stop');
      expect(reply.toolCalls).toEqual([]);
      expect(reply.usage.inputTokens).toBeGreaterThan(0);
      expect(reply.usage.outputTokens).toBeGreaterThan(0);
      const conversation = t.requests[0]!.conversation!;
      expect(conversation.instructions).toBe('Be brief.');
      expect(conversation.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
      expect(conversation.stream).toBe(false);
    });

    it('structured output: the schema is accepted and the reply parses', async () => {
      const summary = structuredOutput(
        'call_summary',
        z.object({
          summary: z.string(),
          disposition: z.enum(['interested', 'not_interested']),
          budget: z.number().nullable(),
          tags: z.array(z.object({ label: z.string() })),
        }),
      );
      const json = {
        summary: 'Wants a demo.',
        disposition: 'interested',
        budget: null,
        tags: [{ label: 'demo' }],
      };
      const t = await target({ script: [{ when: { structured: true }, json }] });
      const reply = await t.model.complete({
        model: t.modelName,
        messages: [{ role: 'user', text: 'Transcript: …' }],
        output: summary.output,
      });
      expect(summary.parse(reply.text)).toEqual(json);
      expect(t.requests[0]!.status).toBe(200);
      expect(() => summary.parse('{"summary": 1}')).toThrow(TextModelError);
    });

    it('stream: text arrives in deltas, then the whole reply', async () => {
      const t = await target({ script: [{ say: 'Thanks for writing to Acme, how can I help you today?' }] });
      const deltas: string[] = [];
      let final = '';
      for await (const event of t.model.stream({
        model: t.modelName,
        messages: [{ role: 'user', text: 'Hi' }],
      })) {
        if (event.type === 'text_delta') deltas.push(event.text);
        else final = event.response.text;
      }
      expect(deltas.length).toBeGreaterThan(2);
      expect(deltas.join('')).toBe(final);
      expect(final).toBe('Thanks for writing to Acme, how can I help you today?');
      expect(t.requests[0]!.conversation!.stream).toBe(true);
    });

    it('tool loop: runs the call through the registry, feeds the result back, streams the answer', async () => {
      const t = await target({
        script: [
          {
            when: { lastUser: 'monday' },
            say: 'Let me check.',
            toolCalls: [{ name: 'check_availability', arguments: { day: 'monday' } }],
          },
          { when: { afterTool: 'check_availability' }, say: 'Monday at ten or two is free.' },
        ],
      });
      const seen: Array<{ tool: string; args: unknown; org: string }> = [];
      const events: TextAgentEvent[] = [];
      const result = await completeTextAgent(agent(t, seen, 'Anything on Monday?'), (e) => events.push(e));
      expect(result.stopReason).toBe('completed');
      expect(result.iterations).toBe(2);
      expect(result.text).toBe('Monday at ten or two is free.');
      expect(seen).toEqual([{ tool: 'check_availability', args: { day: 'monday' }, org: 'org-1' }]);
      const call = events.find((e) => e.type === 'tool_call');
      expect(call).toMatchObject({
        name: 'check_availability',
        ok: true,
        result: { slots: ['10:00', '14:00'] },
      });
      expect(JSON.parse((call as { arguments: string }).arguments)).toEqual({ day: 'monday' });
      expect(
        events
          .filter((e) => e.type === 'text_delta')
          .map((e) => (e as { text: string }).text)
          .join(''),
      ).toBe('Let me check.Monday at ten or two is free.');
      expect(result.messages.map((m) => m.role)).toEqual(['assistant', 'tool', 'assistant']);
      expect(result.usage.totalTokens).toBeGreaterThan(0);
      // What the model read back: the tool's result, after its own call.
      const second = t.requests[1]!.conversation!;
      expect(second.messages.at(-1)).toEqual({
        role: 'tool',
        name: 'check_availability',
        output: { slots: ['10:00', '14:00'] },
      });
      expect(second.tools).toEqual(TOOLS);
      expect(t.problems).toEqual([]);
    });

    it('tool loop: two calls in one turn both run and both results go back; tools not enabled are never offered', async () => {
      const t = await target({
        script: [
          {
            when: { lastUser: 'sign me up' },
            toolCalls: [
              { name: 'create_lead', arguments: { name: 'Ada' } },
              { name: 'check_availability', arguments: { day: 'tuesday' } },
            ],
          },
          { when: { afterTool: 'check_availability' }, say: 'Saved. Tuesday at ten?' },
        ],
      });
      const seen: Array<{ tool: string; args: unknown; org: string }> = [];
      const options = {
        ...agent(t, seen, 'Please sign me up'),
        tools: ['create_lead', 'check_availability'],
      };
      const result = await completeTextAgent(options);
      expect(result.stopReason).toBe('completed');
      expect(seen.map((s) => s.tool)).toEqual(['create_lead', 'check_availability']);
      expect(t.requests[0]!.conversation!.tools).toEqual(['create_lead', 'check_availability']);
      const messages = t.requests[1]!.conversation!.messages;
      expect(messages.filter((m) => m.role === 'tool').map((m) => (m as { name: string }).name)).toEqual([
        'create_lead',
        'check_availability',
      ]);
      expect(t.problems).toEqual([]);
    });

    it('tool loop: arguments that fail the schema are refused with bad_arguments', async () => {
      const t = await target({
        script: [
          {
            when: { lastUser: 'friday' },
            toolCalls: [{ name: 'check_availability', arguments: { day: 'friday' } }],
          },
          { when: { afterTool: 'check_availability' }, say: 'We only book Monday or Tuesday.' },
        ],
      });
      const events: TextAgentEvent[] = [];
      const result = await completeTextAgent(agent(t, [], 'Friday?'), (e) => events.push(e));
      expect(events.find((e) => e.type === 'tool_call')).toMatchObject({
        ok: false,
        error: { code: 'bad_arguments' },
      });
      expect(t.requests[1]!.conversation!.messages.at(-1)).toMatchObject({
        role: 'tool',
        output: { error: { code: 'bad_arguments' } },
      });
      expect(result.text).toBe('We only book Monday or Tuesday.');
    });

    it('iteration cap: the last request forbids tools and the run stops with max_iterations', async () => {
      const t = await target({
        script: [
          {
            when: (c) => !c.toolsDisabled,
            toolCalls: [{ name: 'check_availability', arguments: { day: 'monday' } }],
            times: Number.POSITIVE_INFINITY,
          },
          { when: (c) => c.toolsDisabled, say: 'I could not finish that, sorry.' },
        ],
      });
      const result = await completeTextAgent({ ...agent(t, [], 'Check everything'), maxIterations: 3 });
      expect(result.stopReason).toBe('max_iterations');
      expect(result.iterations).toBe(3);
      expect(t.requests.map((r) => r.conversation!.toolsDisabled)).toEqual([false, false, true]);
      expect(result.text).toBe('I could not finish that, sorry.');
    });

    it('end_call ends the run; a transfer is refused in text', async () => {
      const t = await target({
        script: [
          {
            when: { lastUser: 'bye' },
            say: 'Goodbye!',
            toolCalls: [{ name: 'end_call', arguments: { reason: 'done' } }],
          },
        ],
      });
      const chat = textChatControl();
      const result = await completeTextAgent({ ...agent(t, [], 'Thanks, bye'), control: chat });
      expect(result.stopReason).toBe('ended');
      expect(chat.ended).toBe(true);
      expect(chat.endReason).toBe('done');
      expect(t.requests).toHaveLength(1);
      await expect(chat.control.transfer('<Response/>')).rejects.toThrow('text chat');
    });

    it('time budget and abort stop the run', async () => {
      const t = await target({ script: [{ say: 'Late answer', delayMs: 2_000, times: 3 }] });
      const slow = await completeTextAgent({ ...agent(t, [], 'Hi'), timeBudgetMs: 200 });
      expect(slow.stopReason).toBe('time_budget');
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 100);
      const aborted = await completeTextAgent({ ...agent(t, [], 'Hi'), signal: abort.signal });
      expect(aborted.stopReason).toBe('aborted');
    });

    it('errors: 429 is retried once; a wrong key fails as auth, not retryable', async () => {
      const t = await target({ script: [{ say: 'Fine.', times: 5 }], apiKey: 'right-key' });
      t.failNext({ status: 429, retryAfterSeconds: 0 });
      expect(
        (await t.model.complete({ model: t.modelName, messages: [{ role: 'user', text: 'Hi' }] })).text,
      ).toBe('Fine.');
      expect(t.requests.map((r) => r.status)).toEqual([429, 200]);

      t.failNext({ status: 503, times: 2 });
      const events: TextAgentEvent[] = [];
      const failed = await completeTextAgent(agent(t, [], 'Hi'), (e) => events.push(e));
      expect(failed.stopReason).toBe('error');
      expect(events.find((e) => e.type === 'error')).toMatchObject({ code: 'server', retryable: true });

      const wrong = await target({ script: [], apiKey: 'right-key', client: { apiKey: 'wrong-key-123' } });
      const error = await wrong.model
        .complete({ model: wrong.modelName, messages: [{ role: 'user', text: 'Hi' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TextModelError);
      expect(error).toMatchObject({ code: 'auth', retryable: false });
      expect(String((error as Error).message)).not.toContain('wrong-key-123');
    });

    it('a stream cut mid-reply fails without a retry (text already shown)', async () => {
      const t = await target({
        script: [{ say: 'This reply will be cut off halfway through.', dropAfterChars: 10 }],
      });
      const deltas: string[] = [];
      const error = await (async () => {
        for await (const e of t.model.stream({
          model: t.modelName,
          messages: [{ role: 'user', text: 'Hi' }],
        })) {
          if (e.type === 'text_delta') deltas.push(e.text);
        }
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TextModelError);
      expect((error as TextModelError).retryable).toBe(true);
      expect(deltas.length).toBeGreaterThan(0);
      expect(t.requests).toHaveLength(1);
    });
  });
}
