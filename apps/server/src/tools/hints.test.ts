/** Every product tool carries its own usage hint, and the enabled ones reach the instructions. */
import { TOOL_NAMES } from '@switchboard/shared';
import { composeInstructions } from '@switchboard/voice';
import { describe, expect, it } from 'vitest';
import type { ToolDeps } from './context.ts';
import { buildToolRegistry } from './index.ts';

// Building the registry only closes over its dependencies; no handler runs here.
const registry = buildToolRegistry({} as ToolDeps);

describe('tool hints', () => {
  it('registers exactly the tools of the contract, each with a hint', () => {
    expect(registry.names().sort()).toEqual([...TOOL_NAMES].sort());
    expect(Object.keys(registry.hints()).sort()).toEqual([...TOOL_NAMES].sort());
  });

  it('lists the hints of the enabled tools in the instructions, and only those', () => {
    const tools = ['end_call', 'custom_tool'];
    const text = composeInstructions({
      agentInstructions: 'Be nice.',
      now: new Date('2025-11-20T13:05:00Z'),
      timeZone: 'UTC',
      tools,
      toolHints: registry.hints(tools),
    });
    expect(text).toContain('# Tools\n- end_call: When the conversation is over, say a short goodbye first');
    expect(text).not.toContain('custom_tool');
    expect(text).not.toContain('send_sms');
  });
});
