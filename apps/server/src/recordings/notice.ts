/**
 * The sentence that tells the caller a call is recorded, appended to the agent's greeting when
 * the agent records (`recording: "on"`). Without a greeting the agent opens with it alone.
 */
export const RECORDING_NOTICE = 'This call is recorded.';

export function announceRecording(greeting: string, recording: 'on' | 'off'): string {
  if (recording !== 'on') return greeting;
  const text = greeting.trim();
  if (!text) return RECORDING_NOTICE;
  return /[.!?]$/.test(text) ? `${text} ${RECORDING_NOTICE}` : `${text}. ${RECORDING_NOTICE}`;
}
