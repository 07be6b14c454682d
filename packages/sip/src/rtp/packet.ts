/** RTP packets (RFC 3550 §5.1): parsing with length checks, and writing a fixed 12-byte header. */

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
  /** A view into the datagram: copy it before the datagram is reused. */
  payload: Buffer;
}

export const RTP_HEADER_BYTES = 12;

/** Undefined when `data` is not an RTP v2 packet with a consistent length. */
export function parseRtp(data: Buffer): RtpPacket | undefined {
  if (data.length < RTP_HEADER_BYTES) return undefined;
  const b0 = data[0]!;
  if (b0 >> 6 !== 2) return undefined;
  const b1 = data[1]!;
  const payloadType = b1 & 0x7f;
  if (payloadType >= 72 && payloadType <= 76) return undefined; // RTCP on the RTP port (RFC 5761)
  let offset = RTP_HEADER_BYTES + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    if (data.length < offset + 4) return undefined;
    offset += 4 + data.readUInt16BE(offset + 2) * 4;
  }
  let end = data.length;
  if (b0 & 0x20) {
    const padding = data[data.length - 1]!;
    if (padding === 0) return undefined;
    end -= padding;
  }
  if (end < offset) return undefined;
  return {
    marker: (b1 & 0x80) !== 0,
    payloadType,
    sequence: data.readUInt16BE(2),
    timestamp: data.readUInt32BE(4),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(offset, end),
  };
}

/** Writes a 12-byte header into `out` (which must hold header + payload). */
export function writeRtpHeader(
  out: Buffer,
  h: { marker: boolean; payloadType: number; sequence: number; timestamp: number; ssrc: number },
): void {
  out[0] = 0x80;
  out[1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  out.writeUInt16BE(h.sequence & 0xffff, 2);
  out.writeUInt32BE(h.timestamp >>> 0, 4);
  out.writeUInt32BE(h.ssrc >>> 0, 8);
}

export function buildRtp(
  h: { marker: boolean; payloadType: number; sequence: number; timestamp: number; ssrc: number },
  payload: Buffer,
): Buffer {
  const out = Buffer.allocUnsafe(RTP_HEADER_BYTES + payload.length);
  writeRtpHeader(out, h);
  payload.copy(out, RTP_HEADER_BYTES);
  return out;
}
