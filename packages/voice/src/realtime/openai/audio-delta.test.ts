import { describe, expect, it } from 'vitest';
import { parseAudioDeltaFast } from './audio-delta.ts';
import { parseServerFrame, toServerEvent } from './events.ts';

const AUDIO = Buffer.alloc(160, 0x7f).toString('base64');
const generic = (text: string) => {
  try {
    return toServerEvent(JSON.parse(text));
  } catch {
    return { type: 'malformed' };
  }
};

/** Frames the fast path must read (the layouts OpenAI and the testkit send). */
const READ = [
  `{"type":"response.output_audio.delta","event_id":"event_1","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"${AUDIO}"}`,
  `{"event_id":"event_4950","type":"response.output_audio.delta","response_id":"resp_001","item_id":"msg_008","output_index":0,"content_index":0,"delta":"${AUDIO}"}`,
  `{"delta":"${AUDIO}","item_id":"é_item","type":"response.output_audio.delta"}`,
  `{"type":"response.output_audio.delta","item_id":"a","delta":"QQ==","output_index":12}`,
  // duplicate keys: the last one wins, as in JSON.parse
  `{"type":"response.output_audio.delta","item_id":"a","delta":"QUFB","delta":"QkJC","item_id":"b"}`,
];

/** Frames the fast path must leave to the generic parser (it may read them differently or not at all). */
const REFUSED = [
  `{"type": "response.output_audio.delta","item_id":"a","delta":"QUFB"}`,
  `{"type":"response.output_audio.delta","item_id":"a\\u0062","delta":"QUFB"}`,
  `{"type":"response.output_audio.delta","item_id":"a","delta":"QUFB","extra":{"x":1}}`,
  `{"type":"response.output_audio.delta","item_id":"a","delta":"QUFB","extra":[1]}`,
  `{"type":"response.output_audio.delta","item_id":"a","delta":"QUFB","n":-1}`,
  `{"type":"response.output_audio.delta","item_id":"a","delta":"QUFB","n":1.5}`,
  `{"type":"response.output_audio.delta","item_id":"a","delta":"QUFB","n":007}`,
  `{"type":"response.output_audio.delta","item_id":"a","delta":"QUFB","n":true}`,
  `{"type":"response.output_audio.delta","item_id":"a","delta":"not base64!"}`,
  `{"type":"response.output_audio.delta","item_id":"a","delta":""}`,
  `{"type":"response.output_audio.delta","delta":"QUFB"}`,
  `{"type":"response.output_audio.delta","item_id":"","delta":"QUFB"}`,
  `{"type":"response.output_audio.delta","item_id":"a\tb","delta":"QUFB"}`,
  `{"type":"response.output_audio_transcript.delta","item_id":"a","delta":"response.output_audio.delta"}`,
  `{"type":"response.output_audio.delta","item_id":"a","delta":"QUFB"`,
  `{"type":"response.output_audio.delta","item_id":"a","delta":"QUFB"}}`,
  `{"type":"response.output_audio.delta","item_id":"a","delta":"QUFB",}`,
  `{"type":"response.output_audio.delta","item_id":"a","delta":"QUFB","n":1234567890123456}`,
  `["response.output_audio.delta"]`,
  `{"type":"response.output_audio.delta","item_id":"a","delta":"QUFB"} `,
];

describe('parseAudioDeltaFast', () => {
  it.each(READ)('reads what the generic parser reads, with the same result: %s', (text) => {
    const fast = parseAudioDeltaFast(text);
    expect(fast).toBeDefined();
    expect({ type: 'response.output_audio.delta', ...fast }).toEqual(generic(text));
    expect(parseServerFrame(Buffer.from(text), false)).toEqual(generic(text));
  });

  it.each(REFUSED)('leaves the rest to the generic parser: %s', (text) => {
    expect(parseAudioDeltaFast(text)).toBeUndefined();
    expect(parseServerFrame(Buffer.from(text), false)).toEqual(
      generic(text).type === 'malformed'
        ? { type: 'malformed', message: 'openai: unreadable server event' }
        : generic(text),
    );
  });

  it('keeps the delta byte for byte', () => {
    const fast = parseAudioDeltaFast(READ[0]!);
    expect(fast?.delta).toBe(AUDIO);
    expect(fast?.itemId).toBe('item_1');
  });
});
