/**
 * Starts the server's recording of one call when its agent records (`recording: "on"`): a
 * 2-channel PCM16 WAV at the phone leg's rate (8 kHz for Twilio and SIP, 24 kHz for browser
 * calls), streamed to the store while the session runs, its key kept on the call row. A stream
 * resumed after a transfer keeps the first part's file and is not recorded again. Any failure
 * to open the file is logged and the call goes on unrecorded.
 */
import { CallAudioRecorder, type TelephonyTransport } from '@switchboard/voice';
import type { CallRecorder } from '../call-record/recorder.ts';
import type { Logger } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import type { RecordingStore, RecordingWriter } from './store.ts';

export interface StartedRecording {
  recorder: CallAudioRecorder;
  writer: RecordingWriter;
}

export async function startRecording(input: {
  store: RecordingStore | undefined;
  call: CallRow;
  record: CallRecorder;
  transport: TelephonyTransport;
  recording: 'on' | 'off';
  resumed: boolean;
  log: Logger;
}): Promise<StartedRecording | undefined> {
  const { store, call } = input;
  if (!store || input.recording !== 'on' || input.resumed) return undefined;
  const sampleRate = input.transport.outputFormat.sampleRate;
  try {
    const writer = await store.create(
      { organizationId: call.organizationId, callId: call.id },
      { sampleRate, channels: 2 },
    );
    await input.record.update({ recordingKey: writer.key });
    return { recorder: new CallAudioRecorder({ sampleRate, sink: writer }), writer };
  } catch (err) {
    input.log.error({ err, callId: call.id }, 'recording not started');
    return undefined;
  }
}
