/**
 * The fake OpenAI Realtime server, instrumented: model→caller deltas are byte-tagged by the
 * fake (`tagAudio`, emit times in `fake.tags`); we note which session emitted each tag and
 * whether the caller must receive it. Caller→model: every appended chunk is scanned for the
 * caller's tags, which also name the call.
 */
import {
  type FakeRealtimeSession,
  readTag,
  type ScriptTurn,
  startFakeOpenAIRealtime,
  TagScanner,
  wallClockMs,
} from '@switchboard/testkit';
import { SeqArray } from '../child-util.ts';
import { CALLER_TAG_SPAN, type FakeCollect, type FakeSessionData, type FakeStartArgs } from '../protocol.ts';
import { F64List } from '../stats.ts';
import { callIdOf, type FakeModel, REPLY_TEXT } from './common.ts';

/** A 20 ms Twilio frame of µ-law 8 kHz. */
const PHONE_FRAME_BYTES = 160;
/** Fake VAD threshold (RMS, 16-bit scale): a 10-byte tag in a silent frame stays below, speech is above. */
const VAD_RMS_THRESHOLD = 10_000;

interface Inbound {
  callId: number;
  scanner: TagScanner;
  seq: F64List;
  wall: F64List;
}

export async function startOpenAIFake(args: FakeStartArgs): Promise<FakeModel> {
  const turns: ScriptTurn[] = [{ on: 'greeting', say: { text: REPLY_TEXT, durationMs: args.greetingMs } }];
  for (let i = 0; i < 500; i++)
    turns.push({ on: 'any', say: { text: REPLY_TEXT, durationMs: args.replyMs } });
  const fake = await startFakeOpenAIRealtime({
    apiKey: args.apiKey,
    pacing: args.pacing,
    tagAudio: true,
    script: turns,
    defaultSay: { text: REPLY_TEXT, durationMs: args.replyMs },
    vad: { rmsThreshold: VAD_RMS_THRESHOLD },
    logAudioEvents: false,
    logServerEvents: false,
    keepInputAudio: false,
  });
  const emitSession = new SeqArray((n) => new Int32Array(n), -1);
  const expected = new SeqArray((n) => new Uint8Array(n), 0);
  const inbound = new Map<number, Inbound>();
  const speechStarts = new Map<number, number[]>();
  let collectedSeq = 0;
  let collectedSessions = 0;

  fake.on('session', (s: FakeRealtimeSession) => {
    const rec: Inbound = { callId: -1, scanner: new TagScanner(), seq: new F64List(), wall: new F64List() };
    inbound.set(s.index, rec);
    const append = s.appendAudio.bind(s);
    s.appendAudio = (bytes: Buffer) => {
      const wall = wallClockMs();
      const note = (seq: number) => {
        if (rec.callId < 0) rec.callId = Math.floor(seq / CALLER_TAG_SPAN);
        rec.seq.push(seq);
        rec.wall.push(wall);
      };
      // The bridge forwards Twilio frames byte-exact: a lone frame's tag is at its start. A chunk
      // of several frames (MODEL_INPUT_CHUNK_MS) holds a tag per frame: scan the whole chunk.
      const seq = bytes.length <= PHONE_FRAME_BYTES ? readTag(bytes) : null;
      if (seq !== null) note(seq);
      else for (const t of rec.scanner.push(bytes, wall)) note(t.seq);
      append(bytes);
    };
    // Stamp `speech_started` just before it is sent (the session records it just after, which
    // reads late when the write wakes the server and this process is preempted).
    const speech: number[] = [];
    speechStarts.set(s.index, speech);
    const onVad = s.onVad.bind(s);
    s.onVad = (ev) => {
      if (ev.type === 'start') speech.push(wallClockMs());
      onVad(ev);
    };
    const emitTag = s.emitTag.bind(s);
    s.emitTag = () => {
      const seq = emitTag();
      emitSession.set(seq, s.index);
      // Interrupted: the caller spoke after this response started (the bridge may drop the rest).
      const lastSpeech = s.speechStarts.at(-1)?.atMs ?? -1;
      const responseStart = s.active?.record.startedAtMs ?? 0;
      expected.set(seq, lastSpeech > responseStart ? 0 : 1);
      return seq;
    };
  });

  const collect = (): Omit<FakeCollect, 'eventLoop'> => {
    const toSeq = fake.tags.size;
    const emitWall = new Float64Array(Math.max(0, toSeq - collectedSeq));
    for (let seq = collectedSeq; seq < toSeq; seq++)
      emitWall[seq - collectedSeq] = fake.tags.get(seq)?.wallMs ?? Number.NaN;
    const sessions: FakeSessionData[] = fake.sessions.slice(collectedSessions).map((s) => {
      const rec = inbound.get(s.index);
      const speech = speechStarts.get(s.index) ?? [];
      inbound.delete(s.index);
      speechStarts.delete(s.index);
      return {
        index: s.index,
        callId: callIdOf(s.config.instructions) ?? rec?.callId ?? -1,
        tagCallId: rec?.callId ?? -1,
        inSeq: rec?.seq.toArray() ?? new Float64Array(0),
        inWall: rec?.wall.toArray() ?? new Float64Array(0),
        speechStarts: speech,
        markerEmits: new Float64Array(0),
        inOnsets: new Float64Array(0),
        responses: s.responses.length,
        errors: s.errors.map((e) => e.code),
        closed: s.closeInfo !== null,
      };
    });
    const result = {
      fromSeq: collectedSeq,
      emitWall,
      emitSession: emitSession.slice(collectedSeq, toSeq),
      expected: expected.slice(collectedSeq, toSeq),
      sessions,
    };
    collectedSeq = toSeq;
    collectedSessions = fake.sessions.length;
    return result;
  };
  return { url: fake.url, collect, close: () => fake.close() };
}
