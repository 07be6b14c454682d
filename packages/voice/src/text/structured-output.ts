/**
 * Structured output from a zod schema: the JSON Schema sent to the model (OpenAI's strict mode
 * rules: every object closed, every property required — use `.nullable()` where a value may be
 * missing) and the parser that checks the reply with the same schema.
 *
 *   const summary = structuredOutput('call_summary', z.object({ summary: z.string(), score: z.number().nullable() }));
 *   const reply = await model.complete({ model: 'gpt-4.1-mini', messages, output: summary.output });
 *   const value = summary.parse(reply.text); // typed, or throws TextModelError('invalid_output')
 */
import { z } from 'zod';
import { TextModelError } from './errors.ts';
import type { JsonOutput } from './types.ts';

export interface StructuredOutput<T> {
  output: JsonOutput;
  /** Parses and validates the reply text. Throws `TextModelError` code `invalid_output`. */
  parse(text: string): T;
}

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function structuredOutput<S extends z.ZodType>(
  name: string,
  schema: S,
): StructuredOutput<z.output<S>> {
  if (!NAME.test(name)) throw new Error(`structured output name must match ${NAME}: ${name}`);
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'output' }) as Record<string, unknown>;
  closeObjects(json, name);
  return {
    output: { name, schema: json },
    parse(text) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (cause) {
        throw new TextModelError('invalid_output', `the model's ${name} output is not JSON`, { cause });
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
        throw new TextModelError(
          'invalid_output',
          `the model's ${name} output does not match its schema (${fields})`,
        );
      }
      return parsed.data;
    },
  };
}

/** Adds `additionalProperties: false` to every object and insists every property is required. */
function closeObjects(node: unknown, name: string, depth = 0): void {
  if (depth > 32 || typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) closeObjects(item, name, depth + 1);
    return;
  }
  const schema = node as Record<string, unknown>;
  if (schema.type === 'object' && typeof schema.properties === 'object' && schema.properties !== null) {
    const keys = Object.keys(schema.properties);
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const optional = keys.filter((k) => !required.has(k));
    if (optional.length) {
      throw new Error(
        `structured output ${name}: make ${optional.join(', ')} .nullable() instead of optional`,
      );
    }
    schema.additionalProperties = false;
  }
  for (const value of Object.values(schema)) closeObjects(value, name, depth + 1);
}
