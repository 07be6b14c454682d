/**
 * search_knowledge {query}: the passages of the agent's knowledge base (uploaded documents and
 * the part of the company brief that does not fit the instructions) that best match the
 * caller's question, with their document titles.
 */
import type { ToolDefinition } from '@switchboard/voice';
import { ToolFailure } from '@switchboard/voice';
import { z } from 'zod';
import { searchKnowledge } from '../services/search-knowledge.ts';
import type { CallToolContext, ToolDeps } from './context.ts';

/** Passages returned to the model. */
export const SEARCH_RESULTS = 4;

export const searchKnowledgeParameters = z.object({
  query: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .describe('What to look up, in the caller\'s words (e.g. "warranty on brake repairs").'),
});

export function searchKnowledgeTool(
  deps: ToolDeps,
): ToolDefinition<typeof searchKnowledgeParameters, CallToolContext> {
  return {
    name: 'search_knowledge',
    description:
      "Search the business's documents (prices, services, policies, hours, FAQs). Returns the best matching passages with their document titles; answer from them.",
    hint: "Before saying you do not know something about the business (prices, services, policies, hours), call search_knowledge with the caller's question and answer from the passages it returns.",
    parameters: searchKnowledgeParameters,
    timeoutMs: 5_000,
    handler: async (args, ctx) => {
      if (!ctx.agentId)
        throw new ToolFailure('This call has no agent, so there is no knowledge base to search.');
      const found = await searchKnowledge(deps, {
        organizationId: ctx.organizationId,
        agentId: ctx.agentId,
        query: args.query,
        limit: SEARCH_RESULTS,
        signal: ctx.signal,
      });
      return {
        query: found.query,
        results: found.passages.map((p) => ({ title: p.title, text: p.text })),
        ...(found.passages.length === 0
          ? { note: 'Nothing in the knowledge base matches. Say you will find out, or offer a follow-up.' }
          : {}),
      };
    },
  };
}
