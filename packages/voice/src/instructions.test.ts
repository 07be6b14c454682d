import { describe, expect, it } from 'vitest';
import {
  BRIEF_INSTRUCTION_CHARS,
  briefHead,
  composeInstructions,
  describeNow,
  greetingInstructions,
  MAX_PREVIOUS_CALLS,
} from './instructions.ts';

const now = new Date('2025-11-20T13:05:00Z');

describe('composeInstructions', () => {
  it('puts the agent script first and adds each known section', () => {
    const text = composeInstructions({
      agentInstructions: '  You are Sam, the receptionist of Acme Dental.  ',
      companyBrief: 'Acme Dental, open 9-5.',
      direction: 'outbound',
      caller: {
        name: 'Jane Doe',
        company: 'Doe Inc',
        status: 'contacted',
        notes: 'Wants a cleaning',
        previousCalls: [
          { at: '2025-11-10T15:00:00Z', direction: 'outbound', disposition: 'no_answer' },
          { at: '2025-11-01T10:00:00Z', summary: 'Asked for prices' },
        ],
      },
      now,
      timeZone: 'Europe/Paris',
      language: 'fr-FR',
      tools: ['end_call', 'custom_tool'],
      toolHints: {
        end_call: 'When the conversation is over, say a short goodbye first, then call end_call.',
      },
    });
    expect(
      text.startsWith('You are Sam, the receptionist of Acme Dental.\n\n# Company\nAcme Dental, open 9-5.'),
    ).toBe(true);
    expect(text).toContain('Thursday, November 20, 2025 at 2:05 PM (Europe/Paris, UTC offset +01:00');
    expect(text).toContain('ISO 2025-11-20T14:05+01:00');
    expect(text).toContain('You placed this call');
    expect(text).toContain('Name: Jane Doe\nCompany: Doe Inc\nStatus: contacted\nNotes: Wants a cleaning');
    expect(text).toContain('- 2025-11-10, outbound, no_answer\n- 2025-11-01: Asked for prices');
    expect(text).toContain('- end_call: When the conversation is over, say a short goodbye first');
    expect(text).not.toContain('custom_tool');
    expect(text).toContain('Speak French (France)');
  });

  it('never cuts a long brief silently: its head is placed and the rest is left to search_knowledge', () => {
    const paragraphs = Array.from(
      { length: 40 },
      (_, i) => `Paragraph ${i}. ${'Facts about the shop. '.repeat(10)}`,
    );
    const brief = paragraphs.join('\n\n');
    expect(brief.length).toBeGreaterThan(BRIEF_INSTRUCTION_CHARS);
    const { head, cut } = briefHead(brief);
    expect(cut).toBe(true);
    expect(head.length).toBeLessThanOrEqual(BRIEF_INSTRUCTION_CHARS);
    expect(brief.startsWith(head)).toBe(true);
    expect(head.endsWith('shop.')).toBe(true); // cut at a paragraph end, not mid-word
    const withSearch = composeInstructions({
      agentInstructions: 'Hi.',
      companyBrief: brief,
      now,
      timeZone: 'UTC',
      tools: ['search_knowledge'],
      toolHints: { search_knowledge: 'Before saying you do not know, search.' },
    });
    expect(withSearch).toContain(head);
    expect(withSearch).toContain('call search_knowledge for anything not covered above');
    expect(withSearch).toContain('- search_knowledge: Before saying you do not know');
    const without = composeInstructions({
      agentInstructions: 'Hi.',
      companyBrief: brief,
      now,
      timeZone: 'UTC',
    });
    expect(without).toContain('is not available on this call');
    // A brief that fits is placed whole, with no note.
    const short = 'x'.repeat(5000);
    expect(
      composeInstructions({ agentInstructions: 'Hi.', companyBrief: short, now, timeZone: 'UTC' }),
    ).toContain(`# Company\n${short}\n\n#`);
  });

  it('omits empty sections and is deterministic', () => {
    const input = { agentInstructions: 'Be nice.', now, timeZone: 'UTC' };
    const text = composeInstructions(input);
    expect(text).toBe(composeInstructions(input));
    expect(text).not.toContain('# Company');
    expect(text).not.toContain('# Caller');
    expect(text).not.toContain('# Tools');
    expect(text).toContain('# Phone conversation rules');
  });

  it('caps previous calls and uses custom tool hints', () => {
    const previousCalls = Array.from({ length: 9 }, (_, i) => ({
      at: `2025-10-0${i + 1}T12:00:00Z`,
      summary: `c${i}`,
    }));
    const text = composeInstructions({
      agentInstructions: 'x',
      now,
      timeZone: 'UTC',
      caller: { previousCalls },
      tools: ['lookup_order'],
      toolHints: { lookup_order: 'Ask for the order number first.' },
    });
    expect(text.match(/^- 2025-10-/gm)).toHaveLength(MAX_PREVIOUS_CALLS);
    expect(text).toContain('- lookup_order: Ask for the order number first.');
  });

  it('falls back to UTC for an invalid time zone', () => {
    expect(describeNow(now, 'Mars/Olympus')).toContain(
      '(UTC, UTC offset +00:00; ISO 2025-11-20T13:05+00:00)',
    );
    expect(describeNow(now, 'America/New_York')).toContain('ISO 2025-11-20T08:05-05:00');
  });

  it('builds greeting instructions', () => {
    expect(greetingInstructions(' Hi, Acme Dental! ')).toContain('"Hi, Acme Dental!"');
  });
});
