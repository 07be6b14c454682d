/**
 * One simulated Twilio call, driven across processes like real Twilio: signed voice webhook →
 * TwiML → signed media-stream upgrade → 20 ms caller frames (every one tagged), the agent's audio
 * played out in real time with marks echoed, `clear` honoured, a scripted interruption, and at
 * the end `stop` plus the `completed` status callback.
 */
import { performance } from 'node:perf_hooks';
import {
  type MediaStreamClient,
  readTag,
  sendStatusCallback,
  startInboundCall,
  TagScanner,
  tagFrame,
  wallClockMs,
} from '@switchboard/testkit';
import { mulawRms, OnsetDetector } from '../markers.ts';
import { CALLER_TAG_SPAN, type CallResult, type LoadPlan } from '../protocol.ts';
import { F64List } from '../stats.ts';
import { CallerVoice, QUIET_MS } from './voice.ts';

/** Frames queued ahead of the 20 ms grid (keeps it fed without ever sending untagged filler). */
export const AHEAD = 3;

export function callerNumber(id: number): string {
  return `+1415${String(5_000_000 + (id % 4_000_000)).padStart(7, '0')}`;
}

/** The CallSid of simulated call `id` (the fake Twilio REST API knows it: run.ts registers it). */
export function benchCallSid(id: number): string {
  return `CA${id.toString(16).padStart(32, '0')}`;
}

export class SimulatedCall {
  readonly id: number;
  #plan: LoadPlan;
  #stream: MediaStreamClient | null = null;
  #callSid = '';
  #startWall = 0;
  #connectWall = Number.NaN;
  #stopWall = Number.NaN;
  #stopped = false;
  #ahead = 0;
  #tagCount = 0;
  #sentWall = new F64List(2048);
  #relaySeq = new F64List(2048);
  #relayWall = new F64List(2048);
  #clears = new F64List(8);
  #markerSent = new F64List(256);
  #markerOnsets = new F64List(256);
  #onsets = new OnsetDetector();
  #scanner = new TagScanner();
  #firstMediaWall = Number.NaN;
  #lastMediaWall = 0;
  #mediaFrames = 0;
  #voice: CallerVoice;
  #bargeIn: CallResult['bargeIn'] = null;

  constructor(id: number, plan: LoadPlan, speech: Buffer) {
    this.id = id;
    this.#plan = plan;
    this.#voice = new CallerVoice(plan, speech);
  }

  async run(): Promise<CallResult> {
    const p = this.#plan;
    this.#startWall = wallClockMs();
    const params = {
      To: p.to,
      From: callerNumber(this.id),
      AccountSid: p.accountSid,
      CallSid: benchCallSid(this.id),
    };
    let failure: string | null = null;
    try {
      const call = await startInboundCall({
        url: `${p.serverUrl}/api/twiml/connect-stream`,
        signatureUrl: `${p.publicUrl}/api/twiml/connect-stream`,
        authToken: p.authToken,
        params,
        stream: { log: false, connectTimeoutMs: 15_000 },
      });
      this.#callSid = call.callSid;
      if (!call.stream) return this.#result(`webhook ${call.webhook.status}: no <Connect><Stream>`, false);
      this.#stream = call.stream;
    } catch (error) {
      return this.#result(`connect: ${error instanceof Error ? error.message : String(error)}`, false);
    }
    const stream = this.#stream;
    this.#connectWall = performance.timeOrigin + stream.startedAtMs;
    stream.on('media', ({ payload, atMs }) => {
      const wall = performance.timeOrigin + atMs;
      if (this.#mediaFrames++ === 0) this.#firstMediaWall = wall;
      this.#lastMediaWall = wall;
      this.#voice.mediaSinceUtterance = true;
      if (this.#plan.marks === 'bursts') {
        if (this.#onsets.push(mulawRms(payload))) this.#markerOnsets.push(wall);
        return;
      }
      // Byte-exact passthrough keeps each tag at the start of its frame; scan only if it moved.
      const seq = readTag(payload);
      if (seq !== null) {
        this.#relaySeq.push(seq);
        this.#relayWall.push(wall);
        return;
      }
      for (const t of this.#scanner.push(payload, wall)) {
        this.#relaySeq.push(t.seq);
        this.#relayWall.push(wall);
      }
    });
    stream.on('clear', ({ atMs }) => this.#clears.push(performance.timeOrigin + atMs));
    this.#pump();

    const endAt = this.#connectWall + p.durationMs;
    await Promise.race([stream.closed, sleep(Math.max(0, endAt - wallClockMs()))]);
    this.#stopped = true;
    this.#stopWall = wallClockMs();
    if (stream.closeInfo) failure = `closed by the server (${stream.closeInfo.code})`;
    await stream.stop();
    if (!failure && this.#mediaFrames === 0) failure = 'no audio from the server';
    let statusOk = false;
    try {
      const r = await sendStatusCallback({
        url: `${p.serverUrl}/api/twiml/status`,
        signatureUrl: `${p.publicUrl}/api/twiml/status`,
        authToken: p.authToken,
        callStatus: 'completed',
        sequenceNumber: 3,
        callDuration: Math.round(p.durationMs / 1000),
        params: { ...params, CallSid: this.#callSid },
      });
      statusOk = r.status >= 200 && r.status < 300;
    } catch {
      statusOk = false;
    }
    return this.#result(failure, statusOk);
  }

  /** Keep AHEAD frames queued on the client's 20 ms grid; record when each tagged frame went out. */
  #pump(): void {
    const stream = this.#stream;
    if (!stream) return;
    const tags = this.#plan.marks === 'tags';
    while (!this.#stopped && this.#ahead < AHEAD) {
      const n = this.#tagCount++;
      const next = this.#voice.next(
        n,
        this.#connectWall,
        () => wallClockMs() - this.#lastMediaWall > QUIET_MS && stream.bufferedMs() === 0,
      );
      const frame = tags ? tagFrame(this.id * CALLER_TAG_SPAN + n, next.frame) : next.frame;
      this.#ahead++;
      void stream.sendAudio(frame).then(() => {
        this.#ahead--;
        const sent = !this.#stopped && !stream.closeInfo;
        const wall = sent ? wallClockMs() : Number.NaN;
        if (tags) this.#sentWall.push(wall);
        else if (next.marker && sent) this.#markerSent.push(wall);
        if (n === this.#voice.bargeInTag && sent) {
          this.#bargeIn = { onsetWall: wall, bufferedMs: stream.bufferedMs() };
        }
        this.#pump();
      });
    }
  }

  #result(failure: string | null, statusCallbackOk: boolean): CallResult {
    const stream = this.#stream;
    return {
      id: this.id,
      callSid: this.#callSid,
      ok: failure === null,
      failure,
      startWall: this.#startWall,
      connectWall: this.#connectWall,
      stopWall: Number.isNaN(this.#stopWall) ? wallClockMs() : this.#stopWall,
      relaySeq: this.#relaySeq.toArray(),
      relayWall: this.#relayWall.toArray(),
      sentWall: this.#sentWall.toArray(),
      bargeIn: this.#bargeIn,
      clears: this.#clears.toArray(),
      markerSent: this.#markerSent.toArray(),
      markerOnsets: this.#markerOnsets.toArray(),
      firstMediaWall: this.#firstMediaWall,
      mediaFrames: this.#mediaFrames,
      marksEchoed: stream?.marksSent.length ?? 0,
      violations: stream?.violations.length ?? 0,
      statusCallbackOk,
    };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
