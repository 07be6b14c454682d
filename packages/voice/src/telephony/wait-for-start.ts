/**
 * The first step of every call: wait for the transport's `start` (Twilio's `start` message, or
 * the browser transport's synthetic one). The server admits the stream on what `start` says
 * (token, call id) before it builds anything for the call.
 */
import type { TelephonyStartInfo, TelephonyTransport } from '../types.ts';

/** Resolves with the `start` info, or null when the stream stopped or closed before it came. */
export function waitForStart(transport: TelephonyTransport): Promise<TelephonyStartInfo | null> {
  if (transport.startInfo) return Promise.resolve(transport.startInfo);
  if (transport.state !== 'waiting') return Promise.resolve(null);
  return new Promise((resolve) => {
    const settle = (info: TelephonyStartInfo | null) => {
      for (const off of subscriptions) off();
      resolve(info);
    };
    const subscriptions = [
      transport.once('start', (info) => settle(info)),
      transport.once('stop', () => settle(null)),
      transport.once('closed', () => settle(null)),
    ];
  });
}
