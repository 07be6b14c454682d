/**
 * The caller's side of a conformance call, whatever carries it: the test kit's Twilio Media
 * Streams simulator, or a SIP phone (our own SIP stack as the calling carrier, RTP both ways).
 * The suite talks to this interface only, so every scenario runs over every transport.
 */
import type { MediaStreamClient } from '@switchboard/testkit';

export type TransportKind = 'twilio' | 'sip';

export interface ConformancePhone {
  readonly kind: TransportKind;
  /** Caller audio (µ-law 8 kHz); resolves once sent. */
  sendAudio(mulaw: Uint8Array): Promise<void>;
  /** The caller hangs up (Twilio `stop`, SIP BYE); resolves once the call is closed. */
  hangUp(): Promise<void>;
  /** Resolves when the server ended the call (socket closed, BYE received). */
  readonly closed: Promise<unknown>;
  /** Agent audio the caller got (µ-law), without the silence a SIP stream carries between turns. */
  heard(): Buffer;
  /** Agent audio played to the caller so far, ms. */
  playedMs(): number;
  /** Bytes of agent audio that reached the phone. */
  agentAudioBytes(): number;
  /** `clear`s that emptied the phone's queue. */
  clears(): number;
  /**
   * Twilio receives audio ahead of playout and drops it on `clear`, so cleared audio did reach
   * the phone; a SIP sender drops its own queue, so only audio already heard did.
   */
  readonly receivesClearedAudio: boolean;
}

export function twilioPhone(client: MediaStreamClient): ConformancePhone {
  return {
    kind: 'twilio',
    sendAudio: (mulaw) => client.sendAudio(mulaw),
    hangUp: async () => {
      await client.stop();
    },
    closed: client.closed,
    heard: () => client.heard(),
    playedMs: () => client.playedMs(),
    agentAudioBytes: () =>
      client.received.reduce((sum, m) => sum + (m.event === 'media' ? (m.bytes ?? 0) : 0), 0),
    clears: () => client.received.filter((m) => m.event === 'clear').length,
    receivesClearedAudio: true,
  };
}
