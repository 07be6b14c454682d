import { describe, expect, it } from 'vitest';
import { createAgentSchema, DEFAULT_TUNING, TUNING_FIELDS } from './agents.ts';
import { toE164 } from './phone.ts';
import { createProspectSchema, listProspectsQuerySchema, updateProspectSchema } from './prospects.ts';

describe('phone numbers', () => {
  it('normalises common notations to E.164', () => {
    expect(toE164('+14155550100')).toBe('+14155550100');
    expect(toE164('(415) 555-0100')).toBe('+14155550100');
    expect(toE164('0044 20 7183 8750')).toBe('+442071838750');
  });
  it('rejects impossible numbers and junk', () => {
    for (const bad of ['', '+1234', '12345', 'call me', "+1'; drop table prospects;--", '+1415555010']) {
      expect(toE164(bad)).toBeNull();
    }
  });
});

describe('prospect schemas', () => {
  it('gives a clear message for an invalid phone', () => {
    const result = createProspectSchema.safeParse({ phone: '12' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'Enter the number with its country code, like +1 415 555 0100 (E.164)',
    );
  });
  it('rejects unknown fields and overlong strings', () => {
    expect(createProspectSchema.safeParse({ phone: '+14155550100', hacker: 1 }).success).toBe(false);
    expect(updateProspectSchema.safeParse({ company: 'x'.repeat(201) }).success).toBe(false);
  });
  it('applies list defaults and coerces query strings', () => {
    expect(listProspectsQuerySchema.parse({ limit: '10' })).toMatchObject({
      limit: 10,
      offset: 0,
      sort: 'createdAt',
    });
    expect(listProspectsQuerySchema.safeParse({ limit: '1000' }).success).toBe(false);
  });
});

describe('agent schemas', () => {
  it('fills tuning defaults from the documented table', () => {
    expect(DEFAULT_TUNING.silenceDurationMs).toBe(TUNING_FIELDS.silenceDurationMs.default);
    const agent = createAgentSchema.parse({ name: 'Front desk', tools: ['end_call', 'end_call'] });
    expect(agent.tools).toEqual(['end_call']);
  });
  it('rejects unknown tools and out-of-range tuning', () => {
    expect(createAgentSchema.safeParse({ name: 'x', tools: ['rm_rf'] }).success).toBe(false);
    expect(createAgentSchema.safeParse({ name: 'x', tuning: { vadThreshold: 5 } }).success).toBe(false);
  });
});
