import { performance } from 'node:perf_hooks';
import type { RawData } from 'ws';
import type { ReceivedMessage, StreamViolation } from './media-stream-types.ts';

/** What the inbox needs from its client. */
export interface InboxContext {
  streamSid(): string;
  log(entry: ReceivedMessage): void;
  violation(v: StreamViolation): void;
  media(payload: Buffer, atMs: number): void;
  mark(name: string, atMs: number): void;
  clear(atMs: number): void;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const ALLOWED_KEYS: Record<string, ReadonlySet<string>> = {
  media: new Set(['event', 'streamSid', 'media']),
  mark: new Set(['event', 'streamSid', 'mark']),
  clear: new Set(['event', 'streamSid']),
};

/**
 * Validate and dispatch one server → Twilio frame (docs/telephony.md#messages-to-twilio): text JSON
 * only, `event` ∈ media|mark|clear, the stream's own `streamSid`, required fields present. Invalid
 * messages are recorded as violations and ignored; extra fields are recorded but tolerated.
 */
export function handleServerMessage(ctx: InboxContext, data: RawData, isBinary: boolean): void {
  const atMs = performance.now();
  const raw = rawText(data);
  const violate = (code: 31950 | 31951, message: string) =>
    ctx.violation({ code, message, atMs, raw: raw.length > 200 ? `${raw.slice(0, 200)}…` : raw });
  if (isBinary) {
    violate(31950, 'Send Media Streams messages as text WebSocket messages. Do not use binary frames');
    return;
  }
  let msg: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    msg = parsed as Record<string, unknown>;
  } catch {
    violate(31951, 'Invalid message: not a JSON object');
    return;
  }
  const event = msg.event;
  const allowed = typeof event === 'string' ? ALLOWED_KEYS[event] : undefined;
  if (!allowed) {
    violate(31951, `Unknown message type: ${String(event)}`);
    return;
  }
  if (msg.streamSid !== ctx.streamSid()) {
    violate(31951, `Wrong Stream SID: ${String(msg.streamSid)}`);
    return;
  }
  const extra = Object.keys(msg).filter((k) => !allowed.has(k));
  if (extra.length > 0) violate(31951, `Missing or extra field: unexpected ${extra.join(', ')}`);

  if (event === 'media') {
    const payload = (msg.media as { payload?: unknown } | undefined)?.payload;
    if (typeof payload !== 'string' || payload.length % 4 !== 0 || !BASE64.test(payload)) {
      violate(31951, 'Missing or extra field: media.payload must be base64 audio');
      return;
    }
    const bytes = Buffer.from(payload, 'base64');
    ctx.log({ event, atMs, message: msg, bytes: bytes.length });
    ctx.media(bytes, atMs);
  } else if (event === 'mark') {
    const name = (msg.mark as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string') {
      violate(31951, 'Missing or extra field: mark.name is required');
      return;
    }
    ctx.log({ event, atMs, message: msg, name });
    ctx.mark(name, atMs);
  } else {
    ctx.log({ event: 'clear', atMs, message: msg });
    ctx.clear(atMs);
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
