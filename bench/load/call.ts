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
import { MARKER_PERIOD_FRAMES, markerFrameMulaw, mulawRms, OnsetDetector } from '../markers.ts';
import { CALLER_TAG_SPAN, type CallResult, type LoadPlan } from '../protocol.ts';
import { F64List } from '../stats.ts';

const FRAME_BYTES = 160;
const SILENCE = Buffer.alloc(FRAME_BYTES, 0xff);
const MARKER = markerFrameMulaw();
/** Frames queued ahead of the 20 ms grid (keeps it fed without ever sending untagged filler). */
const AHEAD = 3;
/** The agent is "done talking" when nothing arrived for this long and nothing is left to play. */
const QUIET_MS = 400;
/** Pause between the end of the caller's last utterance and the next one. */
const TURN_GAP_MS = 1_000;

export function callerNumber(id: number): string {
  return `+1415${String(5_000_000 + (id % 4_000_000)).padStart(7, '0')}`;
}

export class SimulatedCall {
  readonly id: number;
  #plan: LoadPlan;
  #speech: Buffer;
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
  #mediaSinceUtterance = false;
  /** Speech frames left to send in the current utterance, and where we are in it. */
  #utterLeft = 0;
  #utterPos = 0;
  /** The previous frame was speech. */
  #speaking = false;
  #utterEndWall = 0;
  #bargeInDone = false;
  /** Tag number of the interruption's first frame (its send time is the speech onset). */
  #bargeInTag = -1;
  #bargeIn: CallResult['bargeIn'] = null;

  constructor(id: number, plan: LoadPlan, speech: Buffer) {
    this.id = id;
    this.#plan = plan;
    this.#speech = speech;
  }

  async run(): Promise<CallResult> {
    const p = this.#plan;
    this.#startWall = wallClockMs();
    const params = { To: p.to, From: callerNumber(this.id), AccountSid: p.accountSid };
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
      this.#mediaSinceUtterance = true;
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
      const next = this.#nextFrame(n);
      const frame = tags ? tagFrame(this.id * CALLER_TAG_SPAN + n, next.frame) : next.frame;
      this.#ahead++;
      void stream.sendAudio(frame).then(() => {
        this.#ahead--;
        const sent = !this.#stopped && !stream.closeInfo;
        const wall = sent ? wallClockMs() : Number.NaN;
        if (tags) this.#sentWall.push(wall);
        else if (next.marker && sent) this.#markerSent.push(wall);
        if (n === this.#bargeInTag && sent) {
          this.#bargeIn = { onsetWall: wall, bufferedMs: stream.bufferedMs() };
        }
        this.#pump();
      });
    }
  }

  /**
   * The next 20 ms the caller says: the current utterance, or silence (maybe starting one). With
   * burst marking, silence carries a burst every MARKER_PERIOD_FRAMES frames and utterances start
   * on such a slot (their onset is that slot's marker).
   */
  #nextFrame(n: number): { frame: Buffer; marker: boolean } {
    const bursts = this.#plan.marks === 'bursts';
    const slot = n % MARKER_PERIOD_FRAMES === 0;
    if (this.#utterLeft === 0 && (!bursts || slot)) {
      const now = wallClockMs();
      const sinceStart = now - this.#connectWall;
      const p = this.#plan;
      if (p.bargeInAtMs !== null && !this.#bargeInDone && sinceStart >= p.bargeInAtMs) {
        this.#bargeInDone = true;
        this.#bargeInTag = n;
        this.#startUtterance();
      } else if (
        p.turnTaking &&
        this.#mediaSinceUtterance &&
        now - this.#lastMediaWall > QUIET_MS &&
        this.#stream?.bufferedMs() === 0 &&
        now - this.#utterEndWall > TURN_GAP_MS
      ) {
        this.#startUtterance();
      }
    }
    if (this.#utterLeft === 0) {
      // A burst right after speech would have no rising edge: skip that slot.
      const afterSpeech = this.#speaking;
      this.#speaking = false;
      if (bursts && slot && !afterSpeech) return { frame: MARKER, marker: true };
      return { frame: SILENCE, marker: false };
    }
    this.#speaking = true;
    const first = this.#utterPos === 0;
    const frame = this.#speech.subarray(this.#utterPos, this.#utterPos + FRAME_BYTES);
    this.#utterPos += FRAME_BYTES;
    if (--this.#utterLeft === 0) this.#utterEndWall = wallClockMs();
    return { frame: frame.length === FRAME_BYTES ? frame : SILENCE, marker: bursts && first };
  }

  #startUtterance(): void {
    this.#utterLeft = Math.floor(this.#speech.length / FRAME_BYTES);
    this.#utterPos = 0;
    this.#mediaSinceUtterance = false;
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
