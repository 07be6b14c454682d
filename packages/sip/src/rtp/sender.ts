/**
 * The outbound half of an RTP stream: a byte queue of agent audio with marks, paced onto the
 * 20 ms grid of the call.
 *
 * Slot k of the call is due at `start + 20·k`. A full frame may go out as soon as it is queued,
 * up to LEAD_SLOTS (3 = 60 ms) ahead of the grid (so audio arriving at real-time pace, even
 * with some jitter, leaves at once instead of waiting for the next tick); a queue that runs dry is padded with silence, and an idle stream sends
 * comfort silence, once a slot is one slot overdue. After a stall of more than 5 slots the grid
 * is re-aligned (the RTP timestamp jumps, marker bit set) instead of bursting a backlog.
 *
 * A mark is reached when every byte queued before it has been put on the wire: that is exactly
 * what the caller could have heard, the SIP equivalent of Twilio echoing a mark.
 */
import { type TelephoneEvent, telephoneEventPayload } from './dtmf.ts';
import { RTP_HEADER_BYTES, writeRtpHeader } from './packet.ts';
import { FRAME_MS } from './ticker.ts';

export const FRAME_BYTES = 160;
/** Audio may leave this many slots ahead of the grid (receivers' jitter buffers absorb it). */
export const LEAD_SLOTS = 3;
const SLACK_SLOTS = 1;
const MAX_BEHIND_SLOTS = 5;

export interface RtpSenderOptions {
  payloadType: number;
  dtmfPayloadType?: number;
  /** One byte of digital silence in the codec (0xFF µ-law, 0xD5 A-law). */
  silenceByte: number;
  ssrc: number;
  start: number;
  transmit(packet: Buffer): void;
  /** Marks reached, in order. Called synchronously from `pump`. */
  onMarks(names: string[]): void;
}

export interface SenderStats {
  packetsSent: number;
  octetsSent: number;
  silencePackets: number;
  dtmfPackets: number;
  realignments: number;
}

export class RtpSender {
  #o: RtpSenderOptions;
  #queue: Buffer[] = [];
  #headOffset = 0;
  #queuedBytes = 0;
  /** Bytes put on the wire or dropped by clear (monotonic), and bytes ever queued. */
  #consumed = 0;
  #enqueued = 0;
  #marks: Array<{ name: string; at: number }> = [];
  #slot = 0;
  #sequence: number;
  #timestamp: number;
  #marker = true;
  /** One run of packets per digit. */
  #dtmf: TelephoneEvent[][] = [];
  #dtmfTimestamp: number | undefined;
  #dtmfSlots = 0;
  #gapSlots = 0;
  /** When false (the peer holds the call), slots pass and audio drains, but nothing is sent. */
  sending = true;
  readonly stats: SenderStats = {
    packetsSent: 0,
    octetsSent: 0,
    silencePackets: 0,
    dtmfPackets: 0,
    realignments: 0,
  };

  constructor(options: RtpSenderOptions) {
    this.#o = options;
    this.#sequence = Math.floor(Math.random() * 0x10000);
    this.#timestamp = Math.floor(Math.random() * 0x100000000);
  }

  /** Agent audio queued and not yet sent, ms. */
  get queuedMs(): number {
    return this.#queuedBytes / 8;
  }

  get timestamp(): number {
    return this.#timestamp >>> 0;
  }

  enqueue(audio: Buffer, now: number): void {
    if (audio.length === 0) return;
    this.#queue.push(audio);
    this.#queuedBytes += audio.length;
    this.#enqueued += audio.length;
    this.pump(now);
  }

  /** A mark after everything queued so far. */
  mark(name: string): void {
    this.#marks.push({ name, at: this.#enqueued });
    this.#fireMarks();
  }

  /** Drops queued audio; returns the marks that will never be reached (oldest first). */
  clear(): string[] {
    this.#queue = [];
    this.#headOffset = 0;
    this.#queuedBytes = 0;
    this.#consumed = this.#enqueued;
    return this.#marks.splice(0).map((m) => m.name);
  }

  /** Queues one digit's run of telephone-event packets (a 60 ms pause follows each). */
  sendEvents(run: TelephoneEvent[]): void {
    if (run.length > 0) this.#dtmf.push([...run]);
  }

  /** Sends what is due at `now`. */
  pump(now: number): void {
    const due = Math.floor((now - this.#o.start) / FRAME_MS) + 1;
    if (due - this.#slot > MAX_BEHIND_SLOTS) {
      const skip = due - this.#slot - 1;
      this.#slot += skip;
      this.#timestamp += skip * FRAME_BYTES;
      this.#marker = true;
      this.stats.realignments++;
    }
    while (this.#slot < due + LEAD_SLOTS) {
      if (this.#dtmf.length > 0 || this.#gapSlots > 0) {
        if (this.#slot >= due) break; // DTMF keeps strict real-time pacing
        this.#sendDtmf();
        continue;
      }
      const overdue = this.#slot < due - SLACK_SLOTS;
      if (this.#queuedBytes >= FRAME_BYTES) this.#sendAudio(FRAME_BYTES);
      else if (!overdue) break;
      else if (this.#queuedBytes > 0) this.#sendAudio(this.#queuedBytes);
      else this.#sendSilence();
    }
  }

  #sendAudio(bytes: number): void {
    const packet = this.#packet(this.#o.payloadType);
    let offset = RTP_HEADER_BYTES;
    let remaining = bytes;
    while (remaining > 0) {
      const head = this.#queue[0]!;
      const take = Math.min(remaining, head.length - this.#headOffset);
      head.copy(packet, offset, this.#headOffset, this.#headOffset + take);
      offset += take;
      remaining -= take;
      this.#headOffset += take;
      if (this.#headOffset === head.length) {
        this.#queue.shift();
        this.#headOffset = 0;
      }
    }
    if (bytes < FRAME_BYTES) packet.fill(this.#o.silenceByte, offset);
    this.#queuedBytes -= bytes;
    this.#consumed += bytes;
    this.#emit(packet);
    this.#fireMarks();
  }

  #sendSilence(): void {
    const packet = this.#packet(this.#o.payloadType);
    packet.fill(this.#o.silenceByte, RTP_HEADER_BYTES);
    this.stats.silencePackets++;
    this.#emit(packet);
  }

  #sendDtmf(): void {
    const run = this.#dtmf[0]!;
    if (this.#gapSlots > 0 || this.#o.dtmfPayloadType === undefined) {
      // The pause between digits: ordinary audio or silence.
      this.#gapSlots = Math.max(0, this.#gapSlots - 1);
      if (this.#o.dtmfPayloadType === undefined) this.#dtmf = [];
      if (this.#queuedBytes >= FRAME_BYTES) this.#sendAudio(FRAME_BYTES);
      else this.#sendSilence();
      return;
    }
    const event = run.shift()!;
    const first = this.#dtmfTimestamp === undefined;
    if (first) {
      this.#dtmfTimestamp = this.#timestamp;
      this.#dtmfSlots = 0;
    }
    const packet = Buffer.allocUnsafe(RTP_HEADER_BYTES + 4);
    writeRtpHeader(packet, {
      marker: first,
      payloadType: this.#o.dtmfPayloadType,
      sequence: this.#sequence,
      timestamp: this.#dtmfTimestamp!,
      ssrc: this.#o.ssrc,
    });
    telephoneEventPayload(event).copy(packet, RTP_HEADER_BYTES);
    this.#sequence = (this.#sequence + 1) & 0xffff;
    this.#slot++;
    this.#dtmfSlots++;
    this.stats.dtmfPackets++;
    if (this.sending) this.#o.transmit(packet);
    if (run.length === 0) {
      // Every packet of an event carries its start timestamp; the stream resumes after it.
      this.#dtmf.shift();
      this.#timestamp = this.#dtmfTimestamp! + this.#dtmfSlots * FRAME_BYTES;
      this.#dtmfTimestamp = undefined;
      this.#gapSlots = 3;
      this.#marker = true;
    }
  }

  #packet(payloadType: number): Buffer {
    const packet = Buffer.allocUnsafe(RTP_HEADER_BYTES + FRAME_BYTES);
    writeRtpHeader(packet, {
      marker: this.#marker,
      payloadType,
      sequence: this.#sequence,
      timestamp: this.#timestamp,
      ssrc: this.#o.ssrc,
    });
    this.#marker = false;
    return packet;
  }

  #emit(packet: Buffer): void {
    this.#sequence = (this.#sequence + 1) & 0xffff;
    this.#timestamp += FRAME_BYTES;
    this.#slot++;
    if (!this.sending) return;
    this.stats.packetsSent++;
    this.stats.octetsSent += packet.length - RTP_HEADER_BYTES;
    this.#o.transmit(packet);
  }

  #fireMarks(): void {
    let n = 0;
    while (n < this.#marks.length && this.#marks[n]!.at <= this.#consumed) n++;
    if (n > 0) this.#o.onMarks(this.#marks.splice(0, n).map((m) => m.name));
  }
}
