import { describe, expect, it } from 'vitest';
import { defaultSessionConfig } from './config.ts';
import { planResponse, ScriptCursor } from './script.ts';

describe('ScriptCursor', () => {
  it('plays turns in order, records trigger mismatches, then falls back to the default reply', () => {
    const cursor = new ScriptCursor([
      { on: 'greeting', say: { text: 'Hi' } },
      { on: 'user_turn', userTranscript: 'Book me in', say: { text: 'Sure' } },
    ]);
    expect(cursor.take('greeting').turnIndex).toBe(0);
    expect(cursor.nextUserTranscript()).toBe('Book me in');
    expect(cursor.take('tool_output').turnIndex).toBe(1);
    expect(cursor.mismatches).toEqual([{ turnIndex: 1, expected: 'user_turn', actual: 'tool_output' }]);
    expect(cursor.take('user_turn')).toEqual({ turn: { say: { text: 'Okay.' } }, turnIndex: -1 });
  });
});

describe('planResponse', () => {
  it('derives pacing, chunking and modalities from options and response.create params', () => {
    const config = defaultSessionConfig('s', 'm');
    const picked = { turn: { say: { text: 'x' }, delayMs: 50 }, turnIndex: 0 };
    const paced = planResponse({}, config, picked, 'greeting', {
      instructions: 'Greet',
      output_modalities: ['text'],
    });
    expect(paced).toMatchObject({
      pacing: 'paced',
      chunkMs: 20,
      speed: 1,
      modalities: ['text'],
      instructions: 'Greet',
      delayMs: 50,
    });
    const burst = planResponse({ pacing: 'burst' }, config, picked, 'greeting', {});
    expect(burst).toMatchObject({ chunkMs: 100, modalities: ['audio'] });
    expect(planResponse({ pacing: 'burst', tagAudio: true }, config, picked, 'greeting', {}).chunkMs).toBe(
      20,
    );
  });
});
