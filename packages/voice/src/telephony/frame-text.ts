/**
 * Reading WebSocket text frames as `ws` delivers them (string, Buffer, ArrayBuffer or Buffer[])
 * for the telephony transports, without throwing.
 */

/** Byte size of a frame, or undefined when it is none of the shapes `ws` delivers. */
export function byteSize(data: unknown): number | undefined {
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (Buffer.isBuffer(data)) return data.length;
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (Array.isArray(data) && data.every((b) => Buffer.isBuffer(b))) {
    return data.reduce((n: number, b: Buffer) => n + b.length, 0);
  }
  return undefined;
}

/** The frame as UTF-8 text; call only after `byteSize` accepted it. */
export function toText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return Buffer.concat(data as Buffer[]).toString('utf8');
}
