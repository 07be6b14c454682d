import { describe, expect, it } from 'vitest';
import { AGENT_TEMPLATES, fillAgentVariables } from './agent-templates.ts';
import { TOOL_NAMES } from './agents.ts';

describe('agent variables', () => {
  it('fills known variables, tidies the space an empty one leaves, keeps unknown ones', () => {
    const text = 'Hi {{prospect.contact}}, this is {{ agent.name }} from {{business.name}}. {{other.thing}}';
    expect(
      fillAgentVariables(text, {
        'prospect.contact': 'Dana',
        'agent.name': 'Riley',
        'business.name': 'Maple Dental',
      }),
    ).toBe('Hi Dana, this is Riley from Maple Dental. {{other.thing}}');
    expect(fillAgentVariables('Hi {{prospect.contact}}, welcome.', {})).toBe('Hi, welcome.');
  });

  it('ships templates whose tools exist and which use the business name', () => {
    expect(AGENT_TEMPLATES.map((t) => t.id)).toEqual([
      'receptionist',
      'appointment_setter',
      'outbound_follow_up',
      'support_triage',
    ]);
    for (const t of AGENT_TEMPLATES) {
      expect(t.tools.every((tool) => (TOOL_NAMES as readonly string[]).includes(tool))).toBe(true);
      expect(t.greeting + t.instructions).toContain('{{business.name}}');
    }
  });
});
