/**
 * ask_supervisor {question}: the voice model hands a question it cannot answer alone to a text
 * model (the supervisor) that has the agent's knowledge and tools — search_knowledge, the
 * calendar and lead tools, the agent's MCP tools — and answers in a few words the voice model
 * can say. The loop is bounded by an iteration cap and a time budget; the voice model says a
 * filler phrase ("Let me check that for you") before calling, so the caller hears no silence
 * while it works. Every tool the supervisor runs is on the call's timeline.
 */
import {
  completeTextAgent,
  describeNow,
  type ToolDefinition,
  ToolFailure,
  type ToolRegistry,
} from '@switchboard/voice';
import { z } from 'zod';
import { getAgent } from '../services/get-agent.ts';
import { resolveTextModel } from '../text/resolve-text-model.ts';
import type { CallToolContext, ToolDeps } from './context.ts';

/** Most text-model requests for one question (the last one must answer in words). */
export const SUPERVISOR_MAX_ITERATIONS = 5;
/** Whole-question deadline (the tool's own timeout is a little longer). */
export const SUPERVISOR_TIME_BUDGET_MS = 15_000;
/** Built-in tools the supervisor may use when the agent has them; call control stays with the voice model. */
const SUPERVISOR_BUILTINS = new Set([
  'search_knowledge',
  'check_availability',
  'book_appointment',
  'create_lead',
  'send_sms',
]);

export const askSupervisorParameters = z.object({
  question: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .describe("The caller's question or request, with the details they gave (names, dates, what they need)."),
});

export function askSupervisorTool(
  deps: ToolDeps,
  registry: () => ToolRegistry<CallToolContext>,
): ToolDefinition<typeof askSupervisorParameters, CallToolContext> {
  return {
    name: 'ask_supervisor',
    description:
      'Ask the supervisor (a careful assistant with the business documents, calendar and systems) a question you cannot answer yourself. Say a short filler such as "Let me check that for you" first. Returns `answer`: say it to the caller in your own words.',
    hint: 'For questions you cannot answer yourself or requests that need several steps, first say a short filler such as "Let me check that for you", then call ask_supervisor with the question and the details the caller gave, and say its answer in your own words.',
    parameters: askSupervisorParameters,
    timeoutMs: SUPERVISOR_TIME_BUDGET_MS + 2_000,
    handler: async (args, ctx) => {
      if (!ctx.agentId) throw new ToolFailure('This call has no agent to supervise.');
      const text = await resolveTextModel(deps, ctx.organizationId);
      if (!text)
        throw new ToolFailure('No text model is configured for the supervisor (an OpenAI or Gemini key).');
      const agent = await getAgent(deps, { organizationId: ctx.organizationId, id: ctx.agentId });
      const tools = [
        ...agent.tools.filter((name) => SUPERVISOR_BUILTINS.has(name)),
        ...(ctx.callTools ? [...ctx.callTools.keys()] : []),
      ];
      const result = await completeTextAgent(
        {
          model: text.model,
          modelName: text.modelName,
          instructions: supervisorInstructions(agent, describeNow(deps.clock(), ctx.timeZone)),
          messages: [{ role: 'user', text: `The caller asks: ${args.question}` }],
          registry: registry(),
          tools,
          context: ctx,
          maxIterations: SUPERVISOR_MAX_ITERATIONS,
          timeBudgetMs: SUPERVISOR_TIME_BUDGET_MS,
          signal: ctx.signal,
          maxOutputTokens: 300,
        },
        (event) => {
          if (event.type !== 'tool_call') return;
          ctx.recorder.event('tool_call', {
            name: event.name,
            arguments: parse(event.arguments),
            ok: event.ok,
            result: event.ok ? event.result : undefined,
            error: event.error,
            durationMs: Math.round(event.durationMs),
            via: 'ask_supervisor',
          });
        },
      );
      if (!result.text.trim()) {
        throw new ToolFailure(
          result.stopReason === 'time_budget'
            ? 'The supervisor did not answer in time. Offer to follow up.'
            : 'The supervisor could not answer. Offer to follow up.',
          { stopReason: result.stopReason, ...(result.error ? { code: result.error.code } : {}) },
        );
      }
      return { answer: result.text.trim(), iterations: result.iterations, stopReason: result.stopReason };
    },
  };
}

function supervisorInstructions(
  agent: { name: string; instructions: string; companyBrief: string },
  now: string,
): string {
  return [
    `You are the supervisor behind ${agent.name}, an AI phone agent. The phone agent relays a caller's question; you find the answer with your tools and reply with what the agent should say.`,
    '- Look facts up (search_knowledge for the business, the calendar for times) rather than guessing; never invent prices, policies or availability.',
    '- Reply in one to three short spoken sentences: no lists, markdown or URLs.',
    '- If the tools do not give the answer, say so plainly and suggest a follow-up.',
    `Current date and time: ${now}`,
    `The phone agent's own instructions, for context:\n${agent.instructions.slice(0, 4000)}`,
    agent.companyBrief.trim()
      ? `Company brief (beginning):\n${agent.companyBrief.trim().slice(0, 4000)}`
      : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
