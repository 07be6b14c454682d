/**
 * RFC 4733 telephone-events (DTMF over RTP). An event is a run of packets sharing one RTP
 * timestamp, the duration growing, the last three with the End bit. The receiver reports a
 * digit once, on the first packet of a new event; the sender builds the run for one digit.
 */

const DIGITS = '0123456789*#ABCD';

export function digitForEvent(event: number): string | undefined {
  return DIGITS[event];
}

export function eventForDigit(digit: string): number | undefined {
  const index = DIGITS.indexOf(digit.toUpperCase());
  return index < 0 ? undefined : index;
}

export interface TelephoneEvent {
  event: number;
  end: boolean;
  volume: number;
  duration: number;
}

export function parseTelephoneEvent(payload: Buffer): TelephoneEvent | undefined {
  if (payload.length < 4) return undefined;
  return {
    event: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: payload.readUInt16BE(2),
  };
}

export function telephoneEventPayload(e: TelephoneEvent): Buffer {
  const out = Buffer.alloc(4);
  out[0] = e.event;
  out[1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  out.writeUInt16BE(Math.min(e.duration, 0xffff), 2);
  return out;
}

/** Turns incoming telephone-event packets into digits, once per event (by RTP timestamp). */
export class DtmfReceiver {
  #lastTimestamp: number | undefined;
  #lastSsrc: number | undefined;

  /** The digit this packet starts, or undefined (a continuation, an end retransmission, junk). */
  receive(payload: Buffer, timestamp: number, ssrc: number): string | undefined {
    const event = parseTelephoneEvent(payload);
    if (!event) return undefined;
    if (timestamp === this.#lastTimestamp && ssrc === this.#lastSsrc) return undefined;
    this.#lastTimestamp = timestamp;
    this.#lastSsrc = ssrc;
    return digitForEvent(event.event);
  }
}

/**
 * The payloads of one digit, one per 20 ms packet: `toneMs` of tone (durations growing by 160
 * samples), then the End packet three times (RFC 4733 §2.5.1.4).
 */
export function dtmfPackets(digit: string, toneMs = 100, volume = 10): TelephoneEvent[] | undefined {
  const event = eventForDigit(digit);
  if (event === undefined) return undefined;
  const frames = Math.max(1, Math.round(toneMs / 20));
  const out: TelephoneEvent[] = [];
  for (let i = 1; i < frames; i++) out.push({ event, end: false, volume, duration: i * 160 });
  for (let i = 0; i < 3; i++) out.push({ event, end: true, volume, duration: frames * 160 });
  return out;
}
