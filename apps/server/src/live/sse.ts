/**
 * Server-Sent Events over a raw Node response: `event: <name>\ndata: <json>\n\n` per live
 * event, a `: ping` comment every 15 s so proxies keep the connection open, and a cleanup that
 * runs exactly once however the stream ends (client gone, server closing, slow client).
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { LiveEvent } from './bus.ts';

/** Interval of the keep-alive comment (ms). */
export const PING_INTERVAL_MS = 15_000;
/** A client this far behind (bytes buffered) is dropped; EventSource reconnects and catches up. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Reconnection delay suggested to EventSource (ms). */
const RETRY_MS = 3000;

function frame(name: string, data: unknown): string {
  // JSON.stringify never emits a raw newline, so one `data:` line holds the whole payload.
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The wire form of a live event; payloads as in `liveEventSchemas` (packages/shared). */
export function formatLiveEvent(event: LiveEvent): string {
  switch (event.type) {
    case 'call.updated':
      return frame(event.type, event.call);
    case 'call.transcript':
      return frame(event.type, {
        callId: event.callId,
        role: event.role,
        text: event.text,
        atMs: event.atMs,
      });
    case 'call.event':
      return frame(event.type, { callId: event.callId, event: event.event });
  }
}

export class EventStream {
  #res: ServerResponse;
  #ping: NodeJS.Timeout | undefined;
  #closed = false;
  #onClose: Array<() => void> = [];

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  /** Writes the status line and headers (plus `extraHeaders`, e.g. security and CORS headers). */
  open(
    extraHeaders: Record<string, string | number | string[] | undefined> = {},
    pingMs = PING_INTERVAL_MS,
  ): void {
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(extraHeaders)) {
      if (value !== undefined && name.toLowerCase() !== 'content-length') headers[name] = value;
    }
    this.#res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and similar proxies must pass events through at once, not buffer them.
      'x-accel-buffering': 'no',
    });
    this.#res.on('close', () => this.close());
    this.#res.on('error', () => this.close());
    this.#write(`retry: ${RETRY_MS}\n: connected\n\n`);
    this.#ping = setInterval(() => this.#write(': ping\n\n'), pingMs);
  }

  send(text: string): void {
    this.#write(text);
  }

  /** Registers cleanup to run once when the stream ends. */
  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#onClose.push(listener);
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#ping);
    for (const listener of this.#onClose.splice(0)) {
      try {
        listener();
      } catch {
        // Cleanup of one listener must not prevent the others.
      }
    }
    if (!this.#res.writableEnded) this.#res.end();
  }

  #write(text: string): void {
    if (this.#closed || this.#res.writableEnded) return;
    if (this.#res.writableLength > MAX_BUFFERED_BYTES) {
      this.close();
      return;
    }
    this.#res.write(text);
  }
}
