/** What the fake-model child needs from either provider's instrumented fake. */
import type { FakeCollect } from '../protocol.ts';

export interface FakeModel {
  /** OPENAI_REALTIME_URL or GEMINI_BASE_URL for the server. */
  url: string;
  /** Everything since the previous call. */
  collect(): Omit<FakeCollect, 'eventLoop'>;
  close(): Promise<void>;
}

export const REPLY_TEXT =
  'Thanks for calling. This is the benchmark agent, speaking for as long as the script says.';

/** The simulated call a session serves: the server puts the caller's CRM name in the instructions. */
export function callIdOf(instructions: string): number | null {
  const m = /Name: Bench caller (\d+)/.exec(instructions);
  return m ? Number(m[1]) : null;
}
