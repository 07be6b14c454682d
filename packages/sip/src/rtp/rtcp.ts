/**
 * RTCP (RFC 3550 §6): a compound Sender Report + SDES CNAME every few seconds, so carriers that
 * watch RTCP see a live stream. Inbound RTCP is only checked for shape and counted.
 */

export interface SenderInfo {
  ssrc: number;
  /** Wall clock of this report, ms since the Unix epoch. */
  nowMs: number;
  rtpTimestamp: number;
  packetsSent: number;
  octetsSent: number;
  cname: string;
}

export interface ReceptionInfo {
  /** SSRC of the stream we receive, when there is one. */
  ssrc: number;
  /** Highest extended sequence number received. */
  highestSequence: number;
  /** Cumulative packets lost (capped to 24 bits). */
  lost: number;
  jitter: number;
}

const NTP_EPOCH_OFFSET_S = 2_208_988_800;

export function buildSenderReport(sender: SenderInfo, reception?: ReceptionInfo): Buffer {
  const blocks = reception ? 1 : 0;
  const srLength = 28 + blocks * 24;
  const sr = Buffer.alloc(srLength);
  sr[0] = 0x80 | blocks;
  sr[1] = 200;
  sr.writeUInt16BE(srLength / 4 - 1, 2);
  sr.writeUInt32BE(sender.ssrc >>> 0, 4);
  const seconds = Math.floor(sender.nowMs / 1000) + NTP_EPOCH_OFFSET_S;
  const fraction = Math.floor(((sender.nowMs % 1000) / 1000) * 2 ** 32);
  sr.writeUInt32BE(seconds >>> 0, 8);
  sr.writeUInt32BE(fraction >>> 0, 12);
  sr.writeUInt32BE(sender.rtpTimestamp >>> 0, 16);
  sr.writeUInt32BE(sender.packetsSent >>> 0, 20);
  sr.writeUInt32BE(sender.octetsSent >>> 0, 24);
  if (reception) {
    sr.writeUInt32BE(reception.ssrc >>> 0, 28);
    sr.writeUInt32BE(Math.min(reception.lost, 0x7fffff) & 0xffffff, 32); // fraction lost 0
    sr.writeUInt32BE(reception.highestSequence >>> 0, 36);
    sr.writeUInt32BE(Math.round(reception.jitter) >>> 0, 40);
    // LSR and DLSR stay 0: we do not track the peer's reports.
  }
  const cname = Buffer.from(sender.cname.slice(0, 255), 'utf8');
  const itemLength = 2 + cname.length;
  const sdesLength = Math.ceil((8 + itemLength + 1) / 4) * 4;
  const sdes = Buffer.alloc(sdesLength);
  sdes[0] = 0x81;
  sdes[1] = 202;
  sdes.writeUInt16BE(sdesLength / 4 - 1, 2);
  sdes.writeUInt32BE(sender.ssrc >>> 0, 4);
  sdes[8] = 1; // CNAME
  sdes[9] = cname.length;
  cname.copy(sdes, 10);
  return Buffer.concat([sr, sdes]);
}

/** True when `data` looks like a compound RTCP packet (version 2, SR/RR/SDES/BYE/APP first). */
export function isRtcp(data: Buffer): boolean {
  if (data.length < 8 || data[0]! >> 6 !== 2) return false;
  const type = data[1]!;
  return type >= 200 && type <= 204;
}

/** True when a compound RTCP packet contains a BYE. */
export function rtcpHasBye(data: Buffer): boolean {
  let offset = 0;
  while (offset + 4 <= data.length) {
    if (data[offset + 1] === 203) return true;
    offset += (data.readUInt16BE(offset + 2) + 1) * 4;
  }
  return false;
}
