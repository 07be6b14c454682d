/** Builds the RTP session of a call from the negotiated codec and forwards its events to the call. */
import type { RtpPortPool, RtpSockets } from '../rtp/ports.ts';
import { RtpSession } from '../rtp/session.ts';
import type { MediaTicker } from '../rtp/ticker.ts';
import type { G711, Negotiated, SdpDescription } from '../sdp.ts';
import type { SipCall } from './call.ts';

export interface MediaConfig {
  ports: RtpPortPool;
  ticker: MediaTicker;
  /** The address written into SDP (c= and o=): where peers send RTP. */
  address: string;
  /** Codecs we accept and offer, in our order of preference (default µ-law, then A-law). */
  codecs?: G711[];
  /** Payload type we offer for telephone-event (default 101). */
  dtmfPayloadType?: number;
  onRejectedSource?(address: string, port: number): void;
}

/** Payload types of the codecs we offer. */
export const STATIC_PT: Record<G711, number> = { pcmu: 0, pcma: 8 };

export function createMedia(
  config: MediaConfig,
  sockets: RtpSockets,
  negotiated: Negotiated,
  remote: { address: string; port: number },
  trustedAddress: string,
): { rtp: RtpSession; bind(call: SipCall): void } {
  let call: SipCall | undefined;
  const rtp = new RtpSession({
    sockets,
    ticker: config.ticker,
    encoding: negotiated.encoding,
    payloadType: negotiated.payloadType,
    ...(negotiated.dtmfPayloadType === undefined ? {} : { dtmfPayloadType: negotiated.dtmfPayloadType }),
    remote,
    trustedAddresses: [trustedAddress],
    onAudio: (payload, concealed) => guard(() => call?.emit('audio', payload, concealed)),
    onDtmf: (digit) => guard(() => call?.emit('dtmf', digit, 'rtp')),
    onMarks: (names) => guard(() => call?.emit('marks', names)),
    ...(config.onRejectedSource ? { onRejectedSource: config.onRejectedSource } : {}),
    onClose: () => config.ports.release(sockets.port),
  });
  return {
    rtp,
    bind: (c) => {
      call = c;
    },
  };
}

export function newSdpDescription(
  config: MediaConfig,
  port: number,
  codecs: SdpDescription['codecs'],
  dtmfPayloadType: number | undefined,
  direction: SdpDescription['direction'] = 'sendrecv',
): SdpDescription {
  const sdp: SdpDescription = {
    sessionId: String(Math.floor(Math.random() * 1e9)),
    version: 1,
    address: config.address,
    port,
    codecs,
    direction,
  };
  if (dtmfPayloadType !== undefined) sdp.dtmfPayloadType = dtmfPayloadType;
  return sdp;
}

export function closeSockets(sockets: RtpSockets, pool: RtpPortPool): void {
  for (const socket of [sockets.rtp, sockets.rtcp]) {
    try {
      socket.close();
    } catch {
      // already closed
    }
  }
  pool.release(sockets.port);
}

/** A listener that throws must not unwind into a socket callback (that would crash the process). */
function guard(fn: () => void): void {
  try {
    fn();
  } catch {
    // The listener (SipTransport) reports its own errors.
  }
}
