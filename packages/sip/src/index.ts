/**
 * @switchboard/sip — a small SIP user agent for trunks (RFC 3261 over UDP and TCP), with SDP
 * offer/answer for G.711 and telephone-event, digest authentication for outbound calls, and RTP
 * media (paced sender with marks, reorder buffer, RFC 4733 DTMF, RTCP reports). No Fastify,
 * no database. See docs/sip.md.
 */

export {
  type DigestChallenge,
  type DigestCredentials,
  digestAuthorization,
  parseChallenge,
} from './digest.ts';
export { SipHeaders } from './message/headers.ts';
export {
  createResponse,
  DEFAULT_PARSE_LIMITS,
  type ParseLimits,
  parseMessage,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  serialize,
} from './message/message.ts';
export {
  formatUri,
  type NameAddr,
  parseNameAddr,
  parseUri,
  type SipUri,
  splitHostPort,
} from './message/uri.ts';
export { DtmfReceiver, dtmfPackets, parseTelephoneEvent } from './rtp/dtmf.ts';
export { JitterBuffer, type JitterStats } from './rtp/jitter-buffer.ts';
export { buildRtp, parseRtp, type RtpPacket } from './rtp/packet.ts';
export { RtpPortPool, type RtpSockets } from './rtp/ports.ts';
export { FRAME_BYTES } from './rtp/sender.ts';
export { type MediaEncoding, RtpSession, type RtpSessionStats } from './rtp/session.ts';
export { FRAME_MS, MediaTicker } from './rtp/ticker.ts';
export { buildSdp, type G711, type Negotiated, negotiate, parseSdp, type SdpAudio } from './sdp.ts';
export type { TimerValues } from './transaction/timers.ts';
export type { Flow } from './transport/flow.ts';
export { type SipLogger, SipUserAgent, type SipUserAgentOptions } from './ua/agent.ts';
export { SipCall, type SipCallEvents } from './ua/call.ts';
export { IncomingInvite, SipError } from './ua/incoming.ts';
export {
  type OutboundCallOptions,
  type OutboundOutcome,
  type OutboundResult,
  OutgoingCall,
} from './ua/outgoing.ts';
export { LogOnce } from './util/log-once.ts';
export { RateLimiter } from './util/rate-limit.ts';
