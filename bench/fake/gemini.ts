/**
 * The fake Gemini Live server, instrumented with tone-burst markers (markers.ts): replies are
 * our own PCM16 24 kHz audio with a 20 ms burst every 200 ms, so we note when each burst chunk
 * is emitted; caller audio arrives resampled to 16 kHz, where we detect the caller's bursts.
 * The "speech signal" of a barge-in is the fake's `interrupted`.
 */
import {
  type FakeGeminiSession,
  type ScriptTurn,
  startFakeGeminiLive,
  wallClockMs,
} from '@switchboard/testkit';
import { isBurstChunkBase64, markerReplyPcm24k, OnsetDetector, pcm16Rms } from '../markers.ts';
import type { FakeCollect, FakeSessionData, FakeStartArgs } from '../protocol.ts';
import { F64List } from '../stats.ts';
import { callIdOf, type FakeModel, REPLY_TEXT } from './common.ts';

interface Markers {
  interrupts: number[];
  emits: F64List;
  onsets: F64List;
  detector: OnsetDetector;
}

export async function startGeminiFake(args: FakeStartArgs): Promise<FakeModel> {
  const greeting = markerReplyPcm24k(args.greetingMs);
  const reply = markerReplyPcm24k(args.replyMs);
  const turns: ScriptTurn[] = [{ on: 'any', say: { text: REPLY_TEXT, audio: greeting } }];
  for (let i = 0; i < 500; i++) turns.push({ on: 'any', say: { text: REPLY_TEXT, audio: reply } });
  const fake = await startFakeGeminiLive({
    apiKey: args.apiKey,
    pacing: args.pacing,
    chunkMs: 20,
    script: turns,
    defaultSay: { text: REPLY_TEXT, audio: reply },
    keepInputAudio: false,
    logServerMessages: false,
  });
  const markers = new Map<number, Markers>();
  let collected = 0;

  fake.on('session', (s: FakeGeminiSession) => {
    const rec: Markers = {
      emits: new F64List(),
      onsets: new F64List(),
      detector: new OnsetDetector(),
      interrupts: [],
    };
    markers.set(s.index, rec);
    const sendAudio = s.sendAudio.bind(s);
    s.sendAudio = (base64: string) => {
      if (isBurstChunkBase64(base64)) rec.emits.push(wallClockMs());
      sendAudio(base64);
    };
    // Stamp `interrupted` just before it is sent (the session records it after the turn stopped).
    const interrupt = s.interruptActive.bind(s);
    s.interruptActive = () => {
      if (s.active) rec.interrupts.push(wallClockMs());
      interrupt();
    };
    const append = s.appendAudio.bind(s);
    s.appendAudio = (bytes: Buffer) => {
      if (rec.detector.push(pcm16Rms(bytes))) rec.onsets.push(wallClockMs());
      append(bytes);
    };
  });

  const collect = (): Omit<FakeCollect, 'eventLoop'> => {
    const sessions: FakeSessionData[] = fake.sessions.slice(collected).map((s) => {
      const rec = markers.get(s.index);
      markers.delete(s.index);
      return {
        index: s.index,
        callId: (s.setupReceived ? callIdOf(s.setup.systemInstruction) : null) ?? -1,
        tagCallId: -1,
        inSeq: new Float64Array(0),
        inWall: new Float64Array(0),
        speechStarts: rec?.interrupts ?? [],
        markerEmits: rec?.emits.toArray() ?? new Float64Array(0),
        inOnsets: rec?.onsets.toArray() ?? new Float64Array(0),
        responses: s.turns.length,
        errors: s.setupFailure ? [String(s.setupFailure.code ?? 'setup')] : [],
        closed: s.closeInfo !== null,
      };
    });
    collected = fake.sessions.length;
    const none = new Float64Array(0);
    return {
      fromSeq: 0,
      emitWall: none,
      emitSession: new Int32Array(0),
      expected: new Uint8Array(0),
      sessions,
    };
  };
  return { url: fake.url, collect, close: () => fake.close() };
}
