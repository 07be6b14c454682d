/**
 * One call's media: an RTP socket and its RTCP neighbour, the paced sender, the reorder
 * buffer, and RFC 4733 DTMF both ways.
 *
 * Inbound audio is continuous: gaps the peer leaves (silence suppression, hold) are filled
 * with silence at real-time pace, so the model's timeline and voice detection keep running.
 *
 * Sources: a packet is accepted only from the address the SDP names, or from the signalling
 * peer's address (a PBX behind NAT advertises a private address but sends from its public one).
 * Anything else is dropped and reported once. Symmetric RTP: when media arrives from another
 * address than the SDP's, we send to where it comes from (the NAT's mapping) from then on.
 * A peer that advertises one port and sends from another on the same host (asymmetric RTP, which
 * RFC 3550 allows) keeps receiving on its advertised port.
 */
import { randomBytes } from 'node:crypto';
import { DtmfReceiver, dtmfPackets } from './dtmf.ts';
import { JitterBuffer, type JitterStats } from './jitter-buffer.ts';
import { parseRtp } from './packet.ts';
import type { RtpSockets } from './ports.ts';
import { buildSenderReport, isRtcp } from './rtcp.ts';
import { FRAME_BYTES, RtpSender, type SenderStats } from './sender.ts';
import { FRAME_MS, type MediaTicker } from './ticker.ts';

const FILL_AFTER_MS = 60;

export type MediaEncoding = 'pcmu' | 'pcma';

export interface RtpEndpoint {
  address: string;
  port: number;
}

export interface RtpSessionOptions {
  sockets: RtpSockets;
  ticker: MediaTicker;
  encoding: MediaEncoding;
  payloadType: number;
  dtmfPayloadType?: number;
  /** Where to send (the SDP's connection address and port). */
  remote: RtpEndpoint;
  /** Further addresses media may come from (the signalling peer's). */
  trustedAddresses?: string[];
  /** RTCP sender reports, ms (default 5 000). */
  rtcpIntervalMs?: number;
  /** Caller audio frames (payload copied), in order; `concealed` for silence filling a loss. */
  onAudio(payload: Buffer, concealed: boolean): void;
  onDtmf(digit: string): void;
  /** Marks reached (their audio is on the wire). Called from the media clock or `sendAudio`. */
  onMarks(names: string[]): void;
  /** A packet from an address we do not accept (report it once per address). */
  onRejectedSource?(address: string, port: number): void;
  /** Called when the sockets are released. */
  onClose?(): void;
}

export interface RtpSessionStats {
  sent: SenderStats;
  received: JitterStats & {
    packets: number;
    dtmf: number;
    otherPayload: number;
    rejected: number;
    rtcp: number;
  };
  lastReceivedAt: number | undefined;
}

export class RtpSession {
  readonly localPort: number;
  #o: RtpSessionOptions;
  #sender: RtpSender;
  #jitter: JitterBuffer;
  #dtmf = new DtmfReceiver();
  #remote: RtpEndpoint;
  #trusted: Set<string>;
  #latched = false;
  #lastSsrc: number | undefined;
  #highestSeq = 0;
  #stopTicker: () => void;
  #nextRtcpAt: number;
  #closed = false;
  #ssrc = randomBytes(4).readUInt32BE(0);
  #received = { packets: 0, dtmf: 0, otherPayload: 0, rejected: 0, rtcp: 0, filled: 0 };
  #lastReceivedAt: number | undefined;
  /** When caller audio (received or filled in) last covered the timeline. */
  #inboundAt: number;
  #silence: Buffer;

  constructor(options: RtpSessionOptions) {
    this.#o = options;
    this.localPort = options.sockets.port;
    this.#remote = { ...options.remote };
    this.#trusted = new Set([options.remote.address, ...(options.trustedAddresses ?? [])]);
    const silenceByte = options.encoding === 'pcmu' ? 0xff : 0xd5;
    const now = options.ticker.now;
    this.#sender = new RtpSender({
      payloadType: options.payloadType,
      ...(options.dtmfPayloadType === undefined ? {} : { dtmfPayloadType: options.dtmfPayloadType }),
      silenceByte,
      ssrc: this.#ssrc,
      start: now,
      transmit: (packet) => this.#transmit(packet),
      onMarks: (names) => options.onMarks(names),
    });
    this.#silence = Buffer.alloc(FRAME_BYTES, silenceByte);
    this.#inboundAt = now;
    this.#jitter = new JitterBuffer({
      silence: this.#silence,
      onFrame: (payload, concealed) => options.onAudio(payload, concealed),
    });
    this.#nextRtcpAt = now + 1000;
    options.sockets.rtp.on('message', (data, rinfo) => this.#onRtp(data, rinfo.address, rinfo.port));
    options.sockets.rtcp.on('message', (data, rinfo) => {
      if (this.#accepts(rinfo.address) && isRtcp(data)) this.#received.rtcp++;
    });
    options.sockets.rtp.on('error', () => {});
    options.sockets.rtcp.on('error', () => {});
    this.#stopTicker = options.ticker.add((t) => this.#tick(t));
  }

  get encoding(): MediaEncoding {
    return this.#o.encoding;
  }

  get remote(): RtpEndpoint {
    return { ...this.#remote };
  }

  /** Agent audio queued and not yet on the wire, ms. */
  get queuedMs(): number {
    return this.#sender.queuedMs;
  }

  get stats(): RtpSessionStats {
    return {
      sent: { ...this.#sender.stats },
      received: { ...this.#jitter.stats, ...this.#received },
      lastReceivedAt: this.#lastReceivedAt,
    };
  }

  /** Queues agent audio in the negotiated codec. */
  sendAudio(audio: Buffer): void {
    if (this.#closed) return;
    this.#sender.enqueue(audio, this.#o.ticker.now);
  }

  /** `onMarks([name])` once the audio queued so far is on the wire. */
  mark(name: string): void {
    if (!this.#closed) this.#sender.mark(name);
  }

  /** Drops queued audio at once; returns the marks it voids. */
  clear(): string[] {
    return this.#sender.clear();
  }

  /** Sends digits as RFC 4733 events; false when the peer did not negotiate telephone-event. */
  sendDigits(digits: string): boolean {
    if (this.#o.dtmfPayloadType === undefined || this.#closed) return false;
    for (const digit of digits) {
      const run = dtmfPackets(digit);
      if (run) this.#sender.sendEvents(run);
    }
    return true;
  }

  /** A re-INVITE moved the stream or put it on hold (`sending` false: the peer does not want our audio). */
  update(options: { remote?: RtpEndpoint; sending?: boolean }): void {
    if (options.remote) {
      this.#remote = { ...options.remote };
      this.#trusted.add(options.remote.address);
      this.#latched = false;
    }
    if (options.sending !== undefined) this.#sender.sending = options.sending;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopTicker();
    this.#sender.clear();
    for (const socket of [this.#o.sockets.rtp, this.#o.sockets.rtcp]) {
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
    this.#o.onClose?.();
  }

  #accepts(address: string): boolean {
    return this.#trusted.has(address);
  }

  #onRtp(data: Buffer, address: string, port: number): void {
    if (this.#closed) return;
    if (!this.#accepts(address)) {
      this.#received.rejected++;
      this.#o.onRejectedSource?.(address, port);
      return;
    }
    const packet = parseRtp(data);
    if (!packet || packet.payload.length > 1200) {
      this.#received.otherPayload++;
      return;
    }
    this.#received.packets++;
    this.#lastReceivedAt = this.#o.ticker.now;
    if (!this.#latched) {
      this.#latched = true;
      // Symmetric RTP: media from another host than the SDP names comes through a NAT.
      if (address !== this.#remote.address) this.#remote = { address, port };
    }
    if (packet.payloadType === this.#o.payloadType) {
      // A new audio SSRC (the peer re-originated the stream) restarts sequence tracking.
      if (packet.ssrc !== this.#lastSsrc) {
        if (this.#lastSsrc !== undefined) this.#jitter.reset();
        this.#lastSsrc = packet.ssrc;
      }
      this.#highestSeq = packet.sequence;
      this.#inboundAt = this.#o.ticker.now;
      this.#jitter.push(packet.sequence, packet.payload);
    } else if (packet.payloadType === this.#o.dtmfPayloadType) {
      this.#received.dtmf++;
      const digit = this.#dtmf.receive(packet.payload, packet.timestamp, packet.ssrc);
      if (digit) this.#o.onDtmf(digit);
    } else {
      this.#received.otherPayload++; // comfort noise (13) and anything not negotiated
    }
  }

  #tick(now: number): void {
    if (this.#closed) return;
    this.#sender.pump(now);
    this.#jitter.tick();
    this.#fillSilence(now);
    if (now >= this.#nextRtcpAt) {
      this.#nextRtcpAt = now + (this.#o.rtcpIntervalMs ?? 5000);
      this.#sendRtcp();
    }
  }

  /**
   * Comfort silence inbound: a peer that stops sending audio (silence suppression without
   * comfort noise, hold, a stalled stream) leaves the model without time passing, so its voice
   * detector never hears the caller stop. After 60 ms without audio, silence frames stand in
   * for the missing packets at real-time pace until audio resumes.
   */
  #fillSilence(now: number): void {
    const gap = now - this.#inboundAt;
    if (gap < FILL_AFTER_MS) return;
    const frames = Math.min(Math.floor(gap / FRAME_MS), 50);
    this.#inboundAt += frames * FRAME_MS;
    this.#received.filled += frames;
    for (let i = 0; i < frames; i++) this.#o.onAudio(this.#silence, true);
  }

  #transmit(packet: Buffer): void {
    this.#o.sockets.rtp.send(packet, this.#remote.port, this.#remote.address);
  }

  #sendRtcp(): void {
    const stats = this.#sender.stats;
    const report = buildSenderReport(
      {
        ssrc: this.#ssrc,
        nowMs: Date.now(),
        rtpTimestamp: this.#sender.timestamp,
        packetsSent: stats.packetsSent,
        octetsSent: stats.octetsSent,
        cname: `switchboard-${this.localPort}`,
      },
      this.#lastSsrc === undefined
        ? undefined
        : {
            ssrc: this.#lastSsrc,
            highestSequence: this.#highestSeq,
            lost: this.#jitter.stats.lost,
            jitter: 0,
          },
    );
    this.#o.sockets.rtcp.send(report, this.#remote.port + 1, this.#remote.address);
  }
}
