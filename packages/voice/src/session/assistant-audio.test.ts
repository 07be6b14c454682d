import { PCMU_8K } from '@switchboard/audio';
import { describe, expect, it } from 'vitest';
import { AssistantAudio } from './assistant-audio.ts';

const CHUNK_MS = 20;
const chunk = Buffer.alloc(CHUNK_MS * 8, 0x55).toString('base64');
/** One-way delay server → phone (audio) and phone → server (mark echoes), ms. */
const LATENCY_MS = 5;

/**
 * When the model delivers each 20 ms chunk (virtual ms): real time with jitter, a 600 ms burst
 * (the phone's queue fills), and two stalls the phone's queue runs dry in (underruns).
 */
function deliveries(): number[] {
  const at: number[] = [];
  let t = 0;
  for (let i = 0; i < 200; i++) {
    if (i > 40 && i < 70) {
      // a burst: 30 chunks at once
    } else if (i === 100)
      t += 900; // stall: the queue runs dry
    else if (i === 150) t += 250;
    else t += CHUNK_MS + ((i * 7) % 11) - 5; // jitter ±5 ms
    at.push(t);
  }
  return at;
}

/**
 * A phone that plays its queue in real time and echoes each mark when playback reaches it, and
 * a call whose caller barges in at `bargeInAt`. Returns what the session says was heard and
 * what the phone really played.
 */
function simulate(bargeInAt: number, markEveryMs: number): { heardMs: number; playedMs: number } {
  let now = 0;
  const echoes: Array<{ at: number; name: string }> = [];
  let playoutEnd = 0;
  let played = 0; // ms of audio the phone finished playing by `bargeInAt`
  const transport = {
    sendAudio() {
      const start = Math.max(playoutEnd, now + LATENCY_MS);
      playoutEnd = start + CHUNK_MS;
      played += Math.max(0, Math.min(bargeInAt, playoutEnd) - start);
    },
    sendMark(name: string) {
      echoes.push({ at: Math.max(playoutEnd, now + LATENCY_MS) + LATENCY_MS, name });
    },
    sendAudioAndMark(_payload: string, _format: never, name: string) {
      this.sendAudio();
      this.sendMark(name);
    },
    clear() {},
  };
  let heardMs = -1;
  const audio = new AssistantAudio({
    transport: transport as never,
    marginMs: 0,
    markEveryMs,
    now: () => now,
    onPlayback: () => {},
    onBargeIn: (e) => {
      heardMs = e.heardMs;
    },
    onTurnLatency: () => {},
  });
  // Echoes due by `until` are handled in time order (marks echo in the order they were sent).
  const echoUntil = (until: number) => {
    while (echoes[0] && echoes[0].at <= until) {
      const echo = echoes.shift()!;
      now = echo.at;
      audio.mark(echo.name);
    }
  };
  for (const at of deliveries()) {
    if (at >= bargeInAt) break;
    echoUntil(at);
    now = at;
    audio.forward({ base64: chunk, itemId: 'item_1', format: PCMU_8K });
  }
  echoUntil(bargeInAt);
  now = bargeInAt;
  audio.speechStarted(undefined, true);
  return { heardMs, playedMs: played };
}

describe('AssistantAudio: heard ms at a barge-in', () => {
  it('stays within ±20 ms of what the phone played with one mark per 100 ms of audio', () => {
    let worst = 0;
    let samples = 0;
    for (let at = 30; at < 6000; at += 13) {
      const { heardMs, playedMs } = simulate(at, 100);
      if (heardMs < 0) continue; // nothing was forwarded yet
      samples++;
      worst = Math.max(worst, Math.abs(heardMs - playedMs));
    }
    expect(samples).toBeGreaterThan(400);
    expect(worst).toBeLessThanOrEqual(20);
  });

  it('sends a fifth of the marks for 20 ms chunks, and a mark wherever a response ends', () => {
    const marks: string[] = [];
    const transport = {
      sendAudio() {},
      sendMark: (name: string) => marks.push(name),
      sendAudioAndMark: (_p: string, _f: never, name: string) => marks.push(name),
      clear() {},
    };
    const audio = new AssistantAudio({
      transport: transport as never,
      marginMs: 0,
      now: () => 0,
      onPlayback: () => {},
      onBargeIn: () => {},
      onTurnLatency: () => {},
    });
    for (let i = 0; i < 12; i++) audio.forward({ base64: chunk, itemId: 'a', format: PCMU_8K });
    audio.forward({ base64: chunk, itemId: 'b', format: PCMU_8K });
    audio.responseDone();
    expect(marks).toEqual(['a:100', 'a:200', 'a:240', 'b:20']);
    expect(audio.outstanding).toBe(true);
    for (const name of marks) audio.mark(name);
    expect(audio.outstanding).toBe(false);
  });
});
