/**
 * The Twilio end of a media stream, in memory: sends `connected`/`start`/`media`/`dtmf`/`stop`
 * with Twilio's exact field types, records what the server sends, and keeps a mark queue that
 * is played on demand (`playMarks`) and flushed on `clear` (all pending marks echoed at once,
 * as Twilio does — docs/telephony.md#messages-to-twilio).
 */
import type { MemorySocket } from './memory-socket.ts';

export interface FakeTwilioOptions {
  streamSid?: string;
  callSid?: string;
  customParameters?: Record<string, string>;
  /** Echo every mark as soon as it arrives (instant playback). Default false. */
  autoPlayMarks?: boolean;
  /** Shared ordered log; receives `twilio:<event>` for each frame the server sends. */
  journal?: string[];
}

export interface TwilioOutbound {
  event: string;
  streamSid?: string;
  media?: { payload: string };
  mark?: { name: string };
}

export class FakeTwilioPeer {
  readonly streamSid: string;
  readonly callSid: string;
  /** Every frame the server sent, parsed. */
  readonly received: TwilioOutbound[] = [];
  /** Marks queued behind audio and not yet played. */
  readonly pendingMarks: string[] = [];
  #socket: MemorySocket;
  #options: FakeTwilioOptions;
  #sequence = 0;
  #chunk = 0;
  #timestampMs = 0;

  constructor(socket: MemorySocket, options: FakeTwilioOptions = {}) {
    this.#socket = socket;
    this.#options = options;
    this.streamSid = options.streamSid ?? 'MZ00000000000000000000000000000001';
    this.callSid = options.callSid ?? 'CA00000000000000000000000000000001';
    socket.on('message', (data) => this.#onMessage(String(data)));
  }

  /** Sends `connected` then `start`. */
  start(): void {
    this.#send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    this.#send({
      event: 'start',
      sequenceNumber: this.#seq(),
      start: {
        accountSid: 'AC00000000000000000000000000000001',
        streamSid: this.streamSid,
        callSid: this.callSid,
        tracks: ['inbound'],
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
        customParameters: this.#options.customParameters ?? {},
      },
      streamSid: this.streamSid,
    });
  }

  /** Sends one inbound `media` frame (default 20 ms of µ-law silence). */
  media(payload = Buffer.alloc(160, 0xff).toString('base64')): void {
    this.#chunk++;
    this.#send({
      event: 'media',
      sequenceNumber: this.#seq(),
      media: { track: 'inbound', chunk: String(this.#chunk), timestamp: String(this.#timestampMs), payload },
      streamSid: this.streamSid,
    });
    this.#timestampMs += 20;
  }

  dtmf(digit: string): void {
    this.#send({
      event: 'dtmf',
      streamSid: this.streamSid,
      sequenceNumber: this.#seq(),
      dtmf: { track: 'inbound_track', digit },
    });
  }

  /** Sends `stop` (the caller hung up) and, unless `keepOpen`, closes the socket. */
  stop(keepOpen = false): void {
    this.#send({
      event: 'stop',
      sequenceNumber: this.#seq(),
      stop: { accountSid: 'AC00000000000000000000000000000001', callSid: this.callSid },
      streamSid: this.streamSid,
    });
    if (!keepOpen) this.#socket.close(1000, '');
  }

  /** Plays queued audio up to and including the `count`-th pending mark (default all). */
  playMarks(count = this.pendingMarks.length): void {
    for (const name of this.pendingMarks.splice(0, count)) this.#echoMark(name);
  }

  /** Base64 payloads of every `media` frame the server sent, in order. */
  sentAudio(): string[] {
    return this.received.flatMap((m) => (m.event === 'media' && m.media ? [m.media.payload] : []));
  }

  /** Sends an arbitrary text frame (JSON-encoded unless a string) — for malformed-input tests. */
  raw(frame: unknown): void {
    this.#socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Next sequenceNumber, for hand-built frames. */
  nextSequence(): string {
    return this.#seq();
  }

  #echoMark(name: string): void {
    this.#send({ event: 'mark', sequenceNumber: this.#seq(), streamSid: this.streamSid, mark: { name } });
  }

  #onMessage(text: string): void {
    const message = JSON.parse(text) as TwilioOutbound;
    this.received.push(message);
    this.#options.journal?.push(`twilio:${message.event}`);
    if (message.event === 'mark' && message.mark) {
      if (this.#options.autoPlayMarks) this.#echoMark(message.mark.name);
      else this.pendingMarks.push(message.mark.name);
    }
    if (message.event === 'clear') this.playMarks();
  }

  #seq(): string {
    this.#sequence++;
    return String(this.#sequence);
  }

  #send(message: object): void {
    this.#socket.send(JSON.stringify(message));
  }
}
