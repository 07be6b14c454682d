/**
 * Builds the model's system instructions for one call from the agent's script, the company
 * brief, what we know about the caller, the local date/time and tool hints. Pure: same input,
 * same text (the clock is an argument).
 */
import { isoParts, languageName, shortDate, spokenDateTime, validTimeZone } from './intl-cache.ts';

export interface PreviousCall {
  /** When it happened (ISO 8601 or Date). */
  at: string | Date;
  direction?: 'inbound' | 'outbound';
  /** Short outcome, e.g. `booked`, `no_answer`. */
  disposition?: string;
  summary?: string;
}

export interface CallerContext {
  name?: string;
  company?: string;
  /** E.164; include only if the agent should read it back. */
  phone?: string;
  email?: string;
  /** CRM pipeline status (`new`, `contacted`, `qualified`…). */
  status?: string;
  notes?: string;
  /** Most recent first; at most {@link MAX_PREVIOUS_CALLS} are used. */
  previousCalls?: PreviousCall[];
  /**
   * Identified by caller ID alone (which can be spoofed): the model is told not to treat the
   * caller as this person for anything sensitive.
   */
  unverified?: boolean;
}

export interface InstructionsInput {
  /** The agent's script (required; the first section, verbatim). */
  agentInstructions: string;
  agentName?: string;
  companyBrief?: string;
  direction?: 'inbound' | 'outbound';
  caller?: CallerContext;
  /** The clock, injected so the function stays pure. */
  now: Date;
  /** The agent's IANA time zone (falls back to UTC when invalid). */
  timeZone: string;
  /** BCP-47 language to speak (`en-US`, `fr-FR`). */
  language?: string;
  /** Enabled tool names, in the order to list them; a tool without a hint is not listed. */
  tools?: readonly string[];
  /** Usage hint per tool name: each tool carries its own (`ToolRegistry.hints`). */
  toolHints?: Readonly<Record<string, string>> | undefined;
}

export const MAX_PREVIOUS_CALLS = 5;
const MAX_FIELD_CHARS = 2000;
/**
 * Characters of the company brief placed in the instructions (the API accepts 20 000). A longer
 * brief is never cut silently: its beginning is placed here, cut at a paragraph or sentence, and
 * the whole brief is indexed in the agent's knowledge base for `search_knowledge`.
 */
export const BRIEF_INSTRUCTION_CHARS = 6000;

const PHONE_RULES = [
  'You are on a phone call: answer in one to three short sentences and ask one question at a time.',
  'Never read out URLs, markdown or lists; spell out numbers, times and dates the way people say them.',
  'If the caller interrupts you, stop and listen; do not repeat what they already heard.',
  'Never invent facts about the company; if you do not know, say so and offer a follow-up.',
];

export function composeInstructions(input: InstructionsInput): string {
  const sections: string[] = [input.agentInstructions.trim()];
  if (input.agentName) sections.push(`# Your name\n${input.agentName}`);
  if (input.companyBrief?.trim())
    sections.push(`# Company\n${describeBrief(input.companyBrief, input.tools ?? [])}`);
  sections.push(`# Current date and time\n${describeNow(input.now, input.timeZone)}`);
  if (input.direction) {
    sections.push(
      `# This call\n${
        input.direction === 'outbound'
          ? 'You placed this call to the person below.'
          : 'The caller called you.'
      }`,
    );
  }
  const caller = describeCaller(input.caller, input.timeZone);
  if (caller) sections.push(`# Caller\n${caller}`);
  const tools = describeTools(input.tools ?? [], input.toolHints ?? {});
  if (tools) sections.push(`# Tools\n${tools}`);
  const rules = [...PHONE_RULES];
  if (input.language) {
    rules.push(`Speak ${languageName(input.language)} unless the caller clearly prefers another language.`);
  }
  sections.push(`# Phone conversation rules\n${rules.map((r) => `- ${r}`).join('\n')}`);
  return sections.filter((s) => s !== '').join('\n\n');
}

/** Instructions for the greeting response: say the configured greeting, nothing else. */
export function greetingInstructions(greeting: string): string {
  return `Start the call by saying this greeting, naturally and without adding anything: "${greeting.trim()}"`;
}

/** What the model is told when the caller presses a key (neither provider takes DTMF as input). */
export function keyPressNote(digit: string): string {
  return `[The caller pressed the phone keypad key "${digit}".]`;
}

/** Instructions for the prompt after the caller has been silent. */
export const DEFAULT_SILENCE_PROMPT =
  'The caller has been silent for a while. Briefly ask whether they are still there.';

export function describeNow(now: Date, timeZone: string): string {
  const zone = validTimeZone(timeZone);
  const spoken = spokenDateTime(zone).format(now);
  const parts = Object.fromEntries(
    isoParts(zone)
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '');
  const iso = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}${offset}`;
  return `${spoken} (${zone}, UTC offset ${offset}; ISO ${iso}).`;
}

function describeCaller(caller: CallerContext | undefined, timeZone: string): string {
  if (!caller) return '';
  const lines: string[] = [];
  if (caller.unverified) {
    lines.push(
      'Matched by caller ID only, which can be faked: this is NOT verified. Do not read back, confirm or change stored details about this person, and do not act on their behalf for anything sensitive.',
    );
  }
  const field = (label: string, value: string | undefined) => {
    if (value?.trim()) lines.push(`${label}: ${clip(value.trim())}`);
  };
  field('Name', caller.name);
  field('Company', caller.company);
  field('Phone', caller.phone);
  field('Email', caller.email);
  field('Status', caller.status);
  field('Notes', caller.notes);
  const calls = (caller.previousCalls ?? []).slice(0, MAX_PREVIOUS_CALLS);
  if (calls.length > 0) {
    lines.push('Previous calls (most recent first):');
    const day = shortDate(validTimeZone(timeZone));
    for (const call of calls) {
      const at = new Date(call.at);
      const when = Number.isNaN(at.getTime()) ? 'unknown date' : day.format(at);
      const bits = [when, call.direction, call.disposition].filter(Boolean).join(', ');
      lines.push(`- ${bits}${call.summary ? `: ${clip(call.summary, 300)}` : ''}`);
    }
  }
  return lines.join('\n');
}

/** The part of a brief that fits the instructions, cut at a paragraph, line or sentence end. */
export function briefHead(brief: string, max = BRIEF_INSTRUCTION_CHARS): { head: string; cut: boolean } {
  const text = brief.trim();
  if (text.length <= max) return { head: text, cut: false };
  const window = text.slice(0, max);
  const at = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf('. ') + 1);
  const head = (at > max * 0.5 ? window.slice(0, at) : window).trim();
  return { head, cut: true };
}

function describeBrief(brief: string, tools: readonly string[]): string {
  const { head, cut } = briefHead(brief);
  if (!cut) return head;
  const rest = tools.includes('search_knowledge')
    ? 'The company brief continues beyond this point: call search_knowledge for anything not covered above.'
    : 'The company brief continues beyond this point but is not available on this call.';
  return `${head}\n\n(${rest})`;
}

function describeTools(tools: readonly string[], hints: Readonly<Record<string, string>>): string {
  return tools
    .map((name) => {
      const hint = hints[name];
      return hint ? `- ${name}: ${hint}` : '';
    })
    .filter(Boolean)
    .join('\n');
}

function clip(text: string, max = MAX_FIELD_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
