import { describe, expect, it } from 'vitest';
import { dtmfPackets, parseTelephoneEvent } from './dtmf.ts';
import { parseRtp } from './packet.ts';
import { FRAME_BYTES, LEAD_SLOTS, RtpSender } from './sender.ts';

function setup() {
  const sent: Buffer[] = [];
  const marks: string[] = [];
  const sender = new RtpSender({
    payloadType: 0,
    dtmfPayloadType: 101,
    silenceByte: 0xff,
    ssrc: 7,
    start: 0,
    transmit: (packet) => sent.push(packet),
    onMarks: (names) => marks.push(...names),
  });
  const packets = () => sent.map((p) => parseRtp(p)!);
  return { sender, sent, marks, packets };
}

describe('RtpSender', () => {
  it('sends whole frames at once, up to LEAD_SLOTS ahead of the grid, then paces', () => {
    const { sender, packets } = setup();
    sender.enqueue(Buffer.alloc(FRAME_BYTES * 8, 1), 0);
    expect(packets()).toHaveLength(1 + LEAD_SLOTS); // slot 0 is due, the next ones may lead
    sender.pump(20);
    expect(packets()).toHaveLength(2 + LEAD_SLOTS);
    sender.pump(60);
    expect(packets()).toHaveLength(4 + LEAD_SLOTS);
    const ps = packets();
    for (let i = 1; i < ps.length; i++) {
      expect((ps[i]!.sequence - ps[i - 1]!.sequence) & 0xffff).toBe(1);
      expect(ps[i]!.timestamp - ps[i - 1]!.timestamp).toBe(160);
    }
    expect(ps[0]!.marker).toBe(true);
    expect(ps[1]!.marker).toBe(false);
  });

  it('fills idle slots with comfort silence once they are a slot overdue', () => {
    const { sender, packets } = setup();
    sender.pump(0);
    expect(packets()).toHaveLength(0);
    sender.pump(40);
    expect(packets()).toHaveLength(2);
    expect(packets().every((p) => p.payload.every((b) => b === 0xff))).toBe(true);
  });

  it('fires a mark once the audio before it is on the wire, padding a partial last frame', () => {
    const { sender, marks, packets } = setup();
    sender.enqueue(Buffer.alloc(200, 1), 0);
    sender.mark('a');
    expect(marks).toEqual([]); // 40 bytes still wait for the next frame
    sender.pump(40);
    expect(marks).toEqual(['a']);
    const last = packets().at(-1)!;
    expect(last.payload.subarray(0, 40).every((b) => b === 1)).toBe(true);
    expect(last.payload.subarray(40).every((b) => b === 0xff)).toBe(true);
  });

  it('clear drops the queue at once and returns the voided marks', () => {
    const { sender, marks, packets } = setup();
    sender.enqueue(Buffer.alloc(FRAME_BYTES * 10, 1), 0);
    sender.mark('m1');
    sender.enqueue(Buffer.alloc(FRAME_BYTES * 10, 2), 0);
    sender.mark('m2');
    expect(sender.clear()).toEqual(['m1', 'm2']);
    expect(sender.queuedMs).toBe(0);
    sender.pump(200);
    expect(marks).toEqual([]);
    expect(
      packets()
        .slice(1 + LEAD_SLOTS)
        .every((p) => p.payload.every((b) => b === 0xff)),
    ).toBe(true);
  });

  it('re-aligns after a stall instead of bursting', () => {
    const { sender, packets } = setup();
    sender.enqueue(Buffer.alloc(FRAME_BYTES * 100, 1), 0);
    const before = packets().length;
    sender.pump(1000);
    const ps = packets();
    expect(ps.length - before).toBeLessThanOrEqual(1 + LEAD_SLOTS + 1);
    expect(sender.stats.realignments).toBe(1);
    const jump = ps[before]!;
    expect(jump.marker).toBe(true); // the first packet after the jump
    expect(jump.timestamp - ps[before - 1]!.timestamp).toBeGreaterThan(40 * 160);
  });

  it('sends RFC 4733 events on the grid with one timestamp per event', () => {
    const { sender, packets } = setup();
    sender.sendEvents(dtmfPackets('5')!);
    for (let t = 0; t <= 300; t += 20) sender.pump(t);
    const events = packets().filter((p) => p.payloadType === 101);
    expect(events).toHaveLength(7); // 4 tone packets + 3 end packets
    expect(new Set(events.map((p) => p.timestamp)).size).toBe(1);
    expect(events[0]!.marker).toBe(true);
    const decoded = events.map((p) => parseTelephoneEvent(p.payload)!);
    expect(decoded.every((e) => e.event === 5)).toBe(true);
    expect(decoded.slice(-3).every((e) => e.end && e.duration === 800)).toBe(true);
  });
});
