/**
 * What a phone call adds on top of the bare session, wired once its setup is known:
 * - `say` / `leaveVoicemail` for tools, AMD and the live-call registry;
 * - outbound calls open through answering-machine detection (outbound-opening.ts);
 * - a stream that resumes a call after an unanswered transfer starts with an apology and
 *   without transfer_call (the caller was just returned from it).
 */
import { callEvents, type DbOrTx } from '@switchboard/db';
import type { CallSession, CallSetup } from '@switchboard/voice';
import { and, eq, max } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import type { AgentRow } from '../mappers/agents.ts';
import type { CallRow } from '../mappers/calls.ts';
import type { CallToolContext } from '../tools/context.ts';
import type { LiveCallHandle } from './live-registry.ts';
import { OutboundOpening } from './outbound-opening.ts';
import type { CallRecorder } from './recorder.ts';
import { leaveVoicemail, voicemailMessage } from './voicemail.ts';

/** `<Parameter name="resume">` of a stream that continues a call after a failed transfer. */
export const RESUME_AFTER_TRANSFER = 'transfer_failed';

const RESUME_GREETINGS: Record<string, string> = {
  busy: "I'm sorry, the line was busy. I can take a message, or is there anything else I can help with?",
  'no-answer':
    "I'm sorry, nobody could pick up right now. I can take a message, or is there anything else I can help with?",
};
const RESUME_GREETING =
  "I'm sorry, I couldn't connect you. I can take a message, or is there anything else I can help with?";

/**
 * Where a resumed stream's timeline continues: after every event already recorded, and no
 * earlier than the time since the call was answered (or started). 0 for a first stream.
 */
export async function resumeOffsetMs(
  db: DbOrTx,
  call: CallRow,
  parameters: Record<string, string>,
  now: Date,
): Promise<number> {
  if (parameters.resume !== RESUME_AFTER_TRANSFER) return 0;
  const since = call.answeredAt ?? call.startedAt ?? call.createdAt;
  const [latest] = await db
    .select({ atMs: max(callEvents.atMs) })
    .from(callEvents)
    .where(and(eq(callEvents.organizationId, call.organizationId), eq(callEvents.callId, call.id)));
  return Math.max(now.getTime() - since.getTime(), (latest?.atMs ?? -1) + 1, 0);
}

type Features = Pick<LiveCallHandle, 'say' | 'leaveVoicemail' | 'answeredBy'>;

export function wireCallFeatures(options: {
  ctx: Pick<AppContext, 'log'>;
  session: CallSession<CallToolContext>;
  call: CallRow;
  agent: AgentRow;
  recorder: CallRecorder;
  setup: CallSetup<CallToolContext>;
  parameters: Record<string, string>;
}): Features {
  const { session, call, agent, recorder, setup, parameters } = options;
  const say: NonNullable<Features['say']> = (instructions, opts) => session.say(instructions, opts);
  const message = voicemailMessage(agent, setup.toolContext.ourNumber);
  const voicemail = (trigger: string, interrupt: boolean) =>
    leaveVoicemail(
      {
        say,
        endCall: (reason) => session.control.endCall({ reason, afterPlayback: true }),
        record: async (type, data) => {
          recorder.eventNow(type, data);
          await recorder.update({ disposition: 'voicemail' });
        },
      },
      message,
      { interrupt, trigger },
    );
  const features: Features = {
    say,
    leaveVoicemail: (opts) => voicemail('tool', opts?.interrupt ?? true),
  };

  if (parameters.resume === RESUME_AFTER_TRANSFER) {
    setup.greeting = RESUME_GREETINGS[parameters.transferStatus ?? ''] ?? RESUME_GREETING;
    setup.enabledTools = (setup.enabledTools ?? []).filter((name) => name !== 'transfer_call');
    recorder.eventNow('stream_resumed', { after: 'transfer', transferStatus: parameters.transferStatus });
    return features;
  }
  if (call.direction !== 'outbound') return features;

  const opening = new OutboundOpening({
    greeting: setup.greeting ?? '',
    answeredBy: call.answeredBy,
    actions: {
      say,
      leaveVoicemail: () => voicemail('amd', true),
      hangup: (reason) => session.control.endCall({ reason, afterPlayback: false }),
    },
  });
  setup.greeting = '';
  session.once('ready', () => opening.ready());
  session.on('transcript', () => opening.engaged());
  void session.finished.then(() => opening.stop());
  features.answeredBy = (value) => opening.answeredBy(value);
  return features;
}
