import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolRegistry } from '../../tools/registry.ts';
import { toGeminiSchema } from './schema.ts';

describe('toGeminiSchema', () => {
  it('converts what the tool registry produces into the OpenAPI subset', () => {
    const registry = new ToolRegistry().register({
      name: 'book_appointment',
      description: 'Book a slot.',
      parameters: z.object({
        start: z.iso.datetime({ offset: true }).describe('ISO 8601 start'),
        minutes: z.number().int().min(15).max(120),
        kind: z.enum(['call', 'visit']),
        notes: z.string().nullable().optional(),
        attendees: z.array(z.object({ email: z.email(), vip: z.boolean() })).min(1),
      }),
      handler: () => ({}),
    });
    const declaration = registry.declarations()[0];
    expect(toGeminiSchema(declaration?.parameters)).toEqual({
      type: 'OBJECT',
      properties: {
        start: {
          type: 'STRING',
          description: 'ISO 8601 start',
          format: 'date-time',
          pattern: expect.any(String),
        },
        minutes: { type: 'INTEGER', minimum: 15, maximum: 120 },
        kind: { type: 'STRING', enum: ['call', 'visit'] },
        notes: { type: 'STRING', nullable: true },
        attendees: {
          type: 'ARRAY',
          minItems: '1',
          items: {
            type: 'OBJECT',
            properties: { email: { type: 'STRING', pattern: expect.any(String) }, vip: { type: 'BOOLEAN' } },
            required: ['email', 'vip'],
          },
        },
      },
      required: ['start', 'minutes', 'kind', 'attendees'],
    });
  });

  it('handles type arrays, const, unions and junk', () => {
    expect(toGeminiSchema({ type: ['integer', 'null'] })).toEqual({ type: 'INTEGER', nullable: true });
    expect(toGeminiSchema({ const: 'x' })).toEqual({ type: 'STRING', enum: ['x'] });
    expect(toGeminiSchema({ anyOf: [{ type: 'string' }, { type: 'number' }] })).toEqual({
      anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }],
    });
    expect(toGeminiSchema({ type: 'object', additionalProperties: false, properties: {} })).toEqual({
      type: 'OBJECT',
      properties: {},
    });
    expect(toGeminiSchema(null)).toEqual({ type: 'STRING' });
    expect(toGeminiSchema({})).toEqual({ type: 'STRING' });
  });
});
