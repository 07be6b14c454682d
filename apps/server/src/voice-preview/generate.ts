/**
 * One voice sample from a realtime model: a short session with no tools and no caller audio, a
 * single response asked for in text ("say this sentence"), its audio collected as 24 kHz PCM16
 * and returned as a mono WAV file. The session is closed whatever happens.
 */
import { PCM16_24K } from '@switchboard/audio';
import type { Logger, ModelSession, RealtimeModel } from '@switchboard/voice';
import { wavHeader } from '@switchboard/voice';

/** What every preview says. */
export const PREVIEW_SENTENCE = 'Hello! This is how I sound on the phone. How can I help you today?';

/** Longest sample kept (24 kHz PCM16, 20 s): a runaway response is cut, not stored whole. */
const MAX_PCM_BYTES = 24_000 * 2 * 20;

export interface GeneratePreviewInput {
  model: RealtimeModel;
  modelName: string;
  voice: string;
  apiKey: string;
  timeoutMs: number;
  log?: Logger;
}

export class PreviewFailed extends Error {
  override name = 'PreviewFailed';
}

export async function generateVoicePreview(input: GeneratePreviewInput): Promise<Buffer> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), input.timeoutMs);
  let session: ModelSession | undefined;
  try {
    session = await input.model.connect({
      session: {
        model: input.modelName,
        instructions:
          'You record short voice samples. When asked, say the given sentence word for word, in a warm, natural tone, and nothing else.',
        voice: input.voice,
        language: 'en-US',
        tools: [],
        transcriptionModel: false,
        credentials: { apiKey: input.apiKey },
      },
      inputFormat: input.model.capabilities.inputFormats[0] ?? PCM16_24K,
      outputFormat: PCM16_24K,
      signal: abort.signal,
    });
    const pcm = await collectResponse(session, abort.signal);
    if (pcm.length === 0) throw new PreviewFailed('the model sent no audio');
    return Buffer.concat([wavHeader({ sampleRate: PCM16_24K.sampleRate, channels: 1 }, pcm.length), pcm]);
  } finally {
    clearTimeout(timer);
    await session?.close().catch(() => {});
  }
}

/** Asks for the sentence and gathers the audio until the response is done. */
function collectResponse(session: ModelSession, signal: AbortSignal): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const offs: Array<() => void> = [];
    const finish = (error?: Error) => {
      for (const off of offs) off();
      signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks));
    };
    const onAbort = () => finish(new PreviewFailed('the model did not finish the sample in time'));
    signal.addEventListener('abort', onAbort);
    offs.push(
      session.on('audio', ({ base64 }) => {
        if (bytes >= MAX_PCM_BYTES) return;
        const chunk = Buffer.from(base64, 'base64');
        chunks.push(chunk);
        bytes += chunk.length;
      }),
      session.on('response_done', ({ status }) => {
        if (status === 'completed' || bytes > 0) finish();
        else finish(new PreviewFailed(`the model's response ended: ${status}`));
      }),
      session.on('error', (event) => {
        if (!event.recoverable) finish(new PreviewFailed(event.error.message));
      }),
      session.on('closed', ({ reason }) =>
        finish(new PreviewFailed(`the model closed the session: ${reason}`)),
      ),
    );
    session.createResponse(`Say exactly this, and nothing else: "${PREVIEW_SENTENCE}"`);
  });
}
