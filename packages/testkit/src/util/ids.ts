import { randomBytes } from 'node:crypto';

/**
 * Twilio-style SID: a two-letter prefix (`CA` call, `AC` account, `MZ` stream, `SM` message,
 * `PN` phone number) followed by 32 lowercase hex digits, 34 characters in total.
 */
export function twilioSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// One random salt per process plus a counter: ids are unique, look like OpenAI's
// (`event_C9G8mqI3IucaojlVKE8Cs`: prefix + 21 base62 chars) and cost no crypto per event.
const SALT = Array.from(randomBytes(8), (b) => BASE62[b % 62]).join('');
let counter = 0;

/** OpenAI-style id such as `event_…`, `item_…`, `resp_…`, `sess_…`, `conv_…`, `call_…`. */
export function openAiId(prefix: string): string {
  counter += 1;
  let n = counter;
  let tail = '';
  while (n > 0) {
    tail = BASE62[n % 62] + tail;
    n = Math.floor(n / 62);
  }
  return `${prefix}_C${SALT}${tail.padStart(12, '0')}`;
}
