/**
 * What the analysis asks the text model for: the JSON schema (summary, disposition, the agent's
 * extraction fields, each nullable: "not said in the call") and the prompt built from the
 * transcript and the tool results. Validated with zod against what the model returns.
 */
import { CALL_DISPOSITIONS, type ExtractionField } from '@switchboard/shared';
import { type StructuredOutput, structuredOutput } from '@switchboard/voice';
import { z } from 'zod';
import type { CallEventRow, TranscriptSegmentRow } from '../mappers/calls.ts';

export interface AnalysisResult {
  summary: string;
  disposition: (typeof CALL_DISPOSITIONS)[number];
  extraction: Record<string, string | number | boolean | null>;
}

function fieldSchema(field: ExtractionField): z.ZodType {
  const base =
    field.type === 'string'
      ? z.string().max(2_000)
      : field.type === 'number'
        ? z.number()
        : field.type === 'boolean'
          ? z.boolean()
          : z.enum(field.options as [string, ...string[]]);
  return (field.description ? base.describe(field.description) : base).nullable();
}

export function analysisOutput(fields: readonly ExtractionField[]): StructuredOutput<AnalysisResult> {
  const extraction = z.strictObject(Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)])));
  const schema = z.strictObject({
    summary: z
      .string()
      .min(1)
      .max(2_000)
      .describe('2-4 sentences: who called, what they wanted, what was agreed'),
    disposition: z.enum(CALL_DISPOSITIONS).describe("the call's outcome"),
    extraction,
  });
  return structuredOutput('call_analysis', schema) as StructuredOutput<AnalysisResult>;
}

const MAX_TRANSCRIPT_CHARS = 40_000;
const MAX_TOOL_RESULT_CHARS = 1_000;

export const ANALYSIS_INSTRUCTIONS = `You review a finished phone call between an AI agent and a caller, for the business that runs the agent.
Answer with JSON only:
- summary: 2 to 4 sentences in the call's language: who the caller is, what they wanted, what was agreed or done, any follow-up.
- disposition, one of:
  meeting_booked (a meeting or appointment was booked), interested (wants to hear more, no booking), not_interested,
  callback_requested (asked to be called back later), do_not_call (asked not to be called again), voicemail_left,
  no_answer, busy, failed (the call broke down), transferred (handed to a person), wrong_number, other.
- extraction: each field as the call states it; null when the call does not say it. Never invent values.`;

/** The call as the model reads it: transcript lines with their time, then what the tools did. */
export function analysisPrompt(
  transcript: Array<Pick<TranscriptSegmentRow, 'role' | 'text' | 'atMs'>>,
  events: Array<Pick<CallEventRow, 'type' | 'data'>>,
): string {
  const lines = transcript
    .filter((s) => s.role !== 'system')
    .map((s) => `[${formatAt(s.atMs)}] ${s.role === 'user' ? 'Caller' : 'Agent'}: ${s.text}`);
  let text = lines.join('\n');
  if (text.length > MAX_TRANSCRIPT_CHARS) {
    // Keep the beginning and the end, where callers say who they are and what was agreed.
    const half = MAX_TRANSCRIPT_CHARS / 2;
    text = `${text.slice(0, half)}\n[… middle of the call left out …]\n${text.slice(-half)}`;
  }
  const tools = events
    .filter((e) => e.type === 'tool_call')
    .map((e) => {
      const d = e.data as {
        name?: string;
        ok?: boolean;
        arguments?: unknown;
        result?: unknown;
        error?: unknown;
      };
      const outcome = JSON.stringify(d.ok ? d.result : d.error) ?? '';
      return `- ${d.name} ${d.ok ? 'succeeded' : 'failed'}: arguments ${JSON.stringify(d.arguments)}; ${
        d.ok ? 'result' : 'error'
      } ${outcome.slice(0, MAX_TOOL_RESULT_CHARS)}`;
    });
  return [
    'Transcript:',
    text || '(nothing was said)',
    '',
    'Tools used during the call:',
    tools.length ? tools.join('\n') : '(none)',
  ].join('\n');
}

function formatAt(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
