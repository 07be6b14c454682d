import { describe, expect, it } from 'vitest';
import { AGENT_TEMPLATES, fillAgentVariables } from './agent-templates.ts';
import { agentVariableSegments, unknownAgentVariables } from './agent-variable-preview.ts';
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

describe('variable preview', () => {
  it('cuts the text into plain parts, filled variables and unknown braces', () => {
    const text = 'Hi {{ prospect.contact }}, {{business.name}} here. {{prospect.name}} {{agent.name}}';
    expect(agentVariableSegments(text, { 'prospect.contact': 'Jordan', 'business.name': 'Maple' })).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'variable', name: 'prospect.contact', value: 'Jordan' },
      { kind: 'text', text: ', ' },
      { kind: 'variable', name: 'business.name', value: 'Maple' },
      { kind: 'text', text: ' here. ' },
      { kind: 'unknown', text: '{{prospect.name}}' },
      { kind: 'text', text: ' ' },
      { kind: 'variable', name: 'agent.name', value: '' },
    ]);
    expect(unknownAgentVariables('{{x}} {{ Business.Name }} {{x}} {{agent.name}}')).toEqual([
      '{{x}}',
      '{{ Business.Name }}',
    ]);
    expect(agentVariableSegments('no variables', {})).toEqual([{ kind: 'text', text: 'no variables' }]);
  });
});
