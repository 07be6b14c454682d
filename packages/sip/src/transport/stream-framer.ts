/**
 * Frames SIP messages out of a TCP byte stream (RFC 3261 §18.3): headers up to the blank line,
 * then exactly Content-Length bytes of body (mandatory on streams). CRLF keep-alives between
 * messages (RFC 5626 §3.5.1) are skipped. The buffer never grows past `maxMessageBytes`.
 */

export type FrameResult =
  | { kind: 'message'; data: Buffer }
  | { kind: 'ping' }
  | { kind: 'error'; reason: string };

export class StreamFramer {
  #buffer: Buffer = Buffer.alloc(0);
  #max: number;

  constructor(maxMessageBytes: number) {
    this.#max = maxMessageBytes;
  }

  /** Appends `chunk` and returns every complete frame; an error means the stream must be closed. */
  push(chunk: Buffer): FrameResult[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const out: FrameResult[] = [];
    for (;;) {
      let skipped = 0;
      while (
        skipped < this.#buffer.length &&
        (this.#buffer[skipped] === 13 || this.#buffer[skipped] === 10)
      ) {
        skipped++;
      }
      if (skipped > 0) {
        if (skipped >= 4) out.push({ kind: 'ping' });
        this.#buffer = this.#buffer.subarray(skipped);
      }
      if (this.#buffer.length === 0) break;
      const headEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        if (this.#buffer.length > this.#max) return [...out, { kind: 'error', reason: 'headers too large' }];
        break;
      }
      const head = this.#buffer.subarray(0, headEnd).toString('latin1');
      const match = /\r\n(?:content-length|l)[ \t]*:[ \t]*(\d{1,7})[ \t]*(?:\r\n|$)/i.exec(head);
      if (!match) return [...out, { kind: 'error', reason: 'no Content-Length on a stream' }];
      const total = headEnd + 4 + Number(match[1]);
      if (total > this.#max) return [...out, { kind: 'error', reason: 'message too large' }];
      if (this.#buffer.length < total) break;
      out.push({ kind: 'message', data: Buffer.from(this.#buffer.subarray(0, total)) });
      this.#buffer = this.#buffer.subarray(total);
    }
    return out;
  }
}
