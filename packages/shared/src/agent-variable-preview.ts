/**
 * The studio's preview of an agent's greeting and instructions: the text cut into plain parts,
 * variables with the value they get, and `{{…}}` that is not a variable (a typo the agent would
 * say as written). The same rules as `fillAgentVariables`, which calls and chats use.
 */
import { AGENT_VARIABLES, type AgentVariable } from './agent-templates.ts';

/** Sample values the dashboard's previews and the text test chat use for the prospect variables. */
export const SAMPLE_PROSPECT = { contact: 'Jordan Lee', company: 'Acme Dental' } as const;

export type VariableSegment =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; name: AgentVariable; value: string }
  | { kind: 'unknown'; text: string };

const BRACES = /\{\{([^{}]*)\}\}/g;

export function agentVariableSegments(
  text: string,
  values: Partial<Record<AgentVariable, string | null>>,
): VariableSegment[] {
  const segments: VariableSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(BRACES)) {
    const at = match.index ?? 0;
    if (at > last) segments.push({ kind: 'text', text: text.slice(last, at) });
    const name = (match[1] ?? '').trim();
    if (/^[a-z]+\.[a-z]+$/.test(name) && name in AGENT_VARIABLES) {
      const variable = name as AgentVariable;
      segments.push({ kind: 'variable', name: variable, value: (values[variable] ?? '').trim() });
    } else {
      segments.push({ kind: 'unknown', text: match[0] });
    }
    last = at + match[0].length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}

/** The `{{…}}` in `text` that are not variables, each once, in order. */
export function unknownAgentVariables(text: string): string[] {
  const found = agentVariableSegments(text, {}).flatMap((s) => (s.kind === 'unknown' ? [s.text] : []));
  return [...new Set(found)];
}
