/**
 * One simulated carrier call over SIP: an INVITE to the server's SIP port from the load
 * generator's user agent, caller frames (every one tagged) sent as RTP on the call's 20 ms
 * grid, the agent's RTP received and its tags read on arrival, the scripted interruption, and
 * a BYE at the end. There is no `clear` to see on a SIP phone: the server drops its own queue.
 */

import type { SipCall, SipUserAgent } from '@switchboard/sip';
import { readTag, TagScanner, tagFrame, wallClockMs } from '@switchboard/testkit';
import { CALLER_TAG_SPAN, type CallResult, type LoadPlan } from '../protocol.ts';
import { F64List } from '../stats.ts';
import { AHEAD, callerNumber } from './call.ts';
import { CallerVoice, QUIET_MS } from './voice.ts';

export class SimulatedSipCall {
  readonly id: number;
  #plan: LoadPlan;
  #ua: SipUserAgent;
  #voice: CallerVoice;
  #call: SipCall | null = null;
  #callId = '';
  #startWall = 0;
  #connectWall = Number.NaN;
  #stopWall = Number.NaN;
  #stopped = false;
  #queued = 0;
  #sent = 0;
  #sentWall = new F64List(2048);
  #relaySeq = new F64List(2048);
  #relayWall = new F64List(2048);
  #scanner = new TagScanner();
  #firstMediaWall = Number.NaN;
  #lastMediaWall = 0;
  #mediaFrames = 0;
  #bargeIn: CallResult['bargeIn'] = null;

  constructor(id: number, plan: LoadPlan, speech: Buffer, ua: SipUserAgent) {
    this.id = id;
    this.#plan = plan;
    this.#ua = ua;
    this.#voice = new CallerVoice(plan, speech);
  }

  async run(): Promise<CallResult> {
    const p = this.#plan;
    this.#startWall = wallClockMs();
    const port = p.sipPort ?? 5060;
    const outgoing = this.#ua.call({
      uri: `sip:${p.to}@127.0.0.1:${port}`,
      proxy: { protocol: 'udp', address: '127.0.0.1', port },
      from: callerNumber(this.id),
      ringTimeoutMs: 15_000,
    });
    this.#callId = outgoing.callId;
    const result = await outgoing.result;
    if (result.outcome !== 'answered') return this.#result(`INVITE: ${result.status} ${result.reason}`);
    const call = result.call;
    this.#call = call;
    this.#connectWall = wallClockMs();
    call.on('audio', (payload, concealed) => this.#onAudio(payload, concealed));
    call.on('marks', (names) => {
      for (const name of names) this.#onSent(Number(name));
    });
    this.#pump();
    const closed = new Promise<void>((resolve) => call.once('ended', () => resolve()));
    await Promise.race([closed, sleep(Math.max(0, this.#connectWall + p.durationMs - wallClockMs()))]);
    const byServer = call.ended;
    this.#stopped = true;
    this.#stopWall = wallClockMs();
    await call.hangup('bench over');
    let failure: string | null = byServer ? 'hung up by the server' : null;
    if (!failure && this.#mediaFrames === 0) failure = 'no audio from the server';
    return this.#result(failure);
  }

  #onAudio(payload: Buffer, concealed: boolean): void {
    // Comfort silence between agent turns carries no tag: skip it cheaply.
    if (
      concealed ||
      (payload[0] === 0xff && payload[payload.length - 1] === 0xff && readTag(payload) === null)
    )
      return;
    const wall = wallClockMs();
    if (this.#mediaFrames++ === 0) this.#firstMediaWall = wall;
    this.#lastMediaWall = wall;
    this.#voice.mediaSinceUtterance = true;
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
  }

  /** Frame `n` is on the wire (its mark was reached). */
  #onSent(n: number): void {
    this.#queued--;
    const wall = this.#stopped ? Number.NaN : wallClockMs();
    this.#sentWall.push(wall);
    if (n === this.#voice.bargeInTag && !this.#stopped) this.#bargeIn = { onsetWall: wall, bufferedMs: 0 };
    this.#pump();
  }

  /** Keep AHEAD frames queued on the call's RTP sender (it paces them on the 20 ms grid). */
  #pump(): void {
    const call = this.#call;
    if (!call) return;
    while (!this.#stopped && !call.ended && this.#queued < AHEAD) {
      const n = this.#sent++;
      const next = this.#voice.next(
        n,
        this.#connectWall,
        () => wallClockMs() - this.#lastMediaWall > QUIET_MS,
      );
      this.#queued++;
      call.sendAudio(tagFrame(this.id * CALLER_TAG_SPAN + n, next.frame));
      call.mark(String(n));
    }
  }

  #result(failure: string | null): CallResult {
    const empty = new Float64Array(0);
    return {
      id: this.id,
      callSid: this.#callId,
      ok: failure === null,
      failure,
      startWall: this.#startWall,
      connectWall: this.#connectWall,
      stopWall: Number.isNaN(this.#stopWall) ? wallClockMs() : this.#stopWall,
      relaySeq: this.#relaySeq.toArray(),
      relayWall: this.#relayWall.toArray(),
      sentWall: this.#sentWall.toArray(),
      bargeIn: this.#bargeIn,
      clears: empty,
      markerSent: empty,
      markerOnsets: empty,
      firstMediaWall: this.#firstMediaWall,
      mediaFrames: this.#mediaFrames,
      marksEchoed: 0,
      violations: 0,
      statusCallbackOk: true,
    };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
