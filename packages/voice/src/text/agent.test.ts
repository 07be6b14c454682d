// Loop rules that no provider fake can provoke: a call to a tool the agent has not enabled, an oversized result.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolRegistry } from '../tools/registry.ts';
import { completeTextAgent, MAX_TOOL_OUTPUT_CHARS } from './agent.ts';
import type { TextModel, TextRequest, TextResponse } from './types.ts';

/** An in-memory model answering with the given replies in order. */
function scripted(replies: Array<Partial<TextResponse>>): TextModel & { requests: TextRequest[] } {
  const requests: TextRequest[] = [];
  return {
    provider: 'openai',
    requests,
    complete: () => Promise.reject(new Error('unused')),
    async *stream(request) {
      requests.push(request);
      const r = replies.shift() ?? { text: 'done' };
      const text = r.text ?? '';
      const toolCalls = r.toolCalls ?? [];
      if (text) yield { type: 'text_delta', text };
      const usage = { inputTokens: 1, outputTokens: 1, totalTokens: 2, cachedInputTokens: 0 };
      yield {
        type: 'done',
        response: {
          model: 'm',
          text,
          toolCalls,
          finishReason: toolCalls.length ? 'tool_calls' : 'stop',
          usage,
          message: { role: 'assistant', text, toolCalls },
        },
      };
    },
  };
}

const registry = new ToolRegistry<{ org: string }>()
  .register({
    name: 'big',
    description: 'A big result.',
    parameters: z.object({}),
    handler: () => ({ data: 'x'.repeat(MAX_TOOL_OUTPUT_CHARS * 2) }),
  })
  .register({
    name: 'secret_admin',
    description: 'Not for this agent.',
    parameters: z.object({}),
    handler: () => ({ ran: true }),
  });

describe('runTextAgent', () => {
  it('refuses a tool the agent has not enabled, and bounds a huge result', async () => {
    const model = scripted([
      {
        toolCalls: [
          { id: 'a', name: 'secret_admin', arguments: '{}' },
          { id: 'b', name: 'big', arguments: '{}' },
        ],
      },
      { text: 'ok' },
    ]);
    const result = await completeTextAgent({
      model,
      modelName: 'm',
      instructions: '',
      messages: [{ role: 'user', text: 'go' }],
      registry,
      tools: ['big'],
      context: { org: 'o' },
    });
    const [refused, big] = result.messages.filter((m) => m.role === 'tool') as Array<{ output: string }>;
    expect(JSON.parse(refused!.output)).toEqual({
      error: { code: 'unknown_tool', message: 'No tool named "secret_admin" is available.' },
    });
    expect(big!.output.length).toBeLessThan(MAX_TOOL_OUTPUT_CHARS + 100);
    expect(JSON.parse(big!.output).truncated).toBe(true);
    expect(model.requests[0]!.tools!.map((t) => t.name)).toEqual(['big']);
    expect(result).toMatchObject({
      stopReason: 'completed',
      text: 'ok',
      iterations: 2,
      usage: { totalTokens: 4 },
    });
  });
});
