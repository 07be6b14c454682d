import { describe, expect, it } from 'vitest';
import { parseServerFrame } from './events.ts';

const frame = (message: object) => parseServerFrame(JSON.stringify(message));

describe('Gemini server messages', () => {
  it('turns one message into its events, in handling order', () => {
    expect(
      frame({
        usageMetadata: { promptTokenCount: 5, responseTokenCount: 3 },
        serverContent: {
          turnComplete: true,
          outputTranscription: { text: 'Hi' },
          modelTurn: {
            parts: [
              { text: 'a thought' },
              { inlineData: { mimeType: 'audio/pcm;rate=24000', data: 'AAAA' } },
            ],
          },
          inputTranscription: { text: 'hello', finished: true },
          interrupted: true,
        },
      }).map((e) => e.type),
    ).toEqual([
      'usage',
      'interrupted',
      'input_transcription',
      'audio',
      'output_transcription',
      'turn_complete',
    ]);
    expect(frame({ goAway: { timeLeft: '1.5s' } })).toEqual([{ type: 'go_away', timeLeftMs: 1500 }]);
    expect(frame({ sessionResumptionUpdate: { newHandle: '', resumable: true } })).toEqual([
      { type: 'resumption', handle: undefined, resumable: true },
    ]);
  });

  it('reports function calls without an id or name, and keeps the valid ones', () => {
    expect(
      frame({
        toolCall: { functionCalls: [{ id: 'f1', name: 'lookup', args: { q: 1 } }, { name: 'nameless' }] },
      }),
    ).toEqual([
      { type: 'malformed', message: 'gemini: function call without id/name' },
      { type: 'tool_call', calls: [{ id: 'f1', name: 'lookup', arguments: '{"q":1}' }] },
    ]);
  });

  it('ignores unknown messages and marks unreadable ones malformed', () => {
    expect(frame({ voiceActivity: { type: 'ACTIVITY_START' } })).toEqual([]);
    expect(frame({ setupComplete: {} })).toEqual([{ type: 'setup_complete' }]);
    expect(parseServerFrame('[1]')).toEqual([
      { type: 'malformed', message: 'gemini: unreadable server message' },
    ]);
    expect(parseServerFrame(Buffer.from('{"goAway":{}}'))).toEqual([
      { type: 'go_away', timeLeftMs: undefined },
    ]);
  });
});
