/**
 * Voicemail: what the agent says on an answering machine (its `voicemailMessage`, or a short
 * default naming the agent and the number to call back) and how. The agent speaks it with its
 * own voice after the beep (`CallSession.say` cuts whatever was playing), then hangs up once it
 * has played. When the call is not running in this process, Twilio reads it (`voicemailTwiml`).
 */
import type { CallEventData } from '@switchboard/shared';
import type { AgentRow } from '../mappers/agents.ts';

/** Leaving a message longer than this is pointless (many machines stop recording). */
const MAX_MESSAGE_CHARS = 1000;

export function voicemailMessage(
  agent: Pick<AgentRow, 'voicemailMessage' | 'name'>,
  ourNumber: string,
): string {
  const own = agent.voicemailMessage.trim();
  if (own) return own.slice(0, MAX_MESSAGE_CHARS);
  const callBack = ourNumber ? ` at ${ourNumber}` : '';
  return `Hello, this is ${agent.name}. Sorry we missed you. Please call us back${callBack}. Thank you, goodbye.`;
}

export function voicemailInstructions(message: string): string {
  return (
    'You reached voicemail and the recording has started. Leave this message now, word for word, ' +
    `and say nothing else: "${message}"`
  );
}

export interface VoicemailTarget {
  say(instructions: string, opts: { interrupt?: boolean; last?: boolean }): Promise<boolean>;
  endCall(reason: string): Promise<void>;
  /** Records the disposition and the `voicemail` timeline event. */
  record(data: CallEventData['voicemail']): Promise<void>;
}

/**
 * Speaks the message (cutting what plays when `interrupt`), resolves once it has played, and
 * starts the hang-up without waiting for it (a tool awaiting this still returns its result).
 */
export async function leaveVoicemail(
  target: VoicemailTarget,
  message: string,
  opts: { interrupt: boolean; trigger: 'tool' | 'amd' },
): Promise<void> {
  await target.record({ trigger: opts.trigger, chars: message.length });
  await target.say(voicemailInstructions(message), { interrupt: opts.interrupt, last: true });
  void target.endCall('voicemail');
}
