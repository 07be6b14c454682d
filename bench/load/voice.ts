/**
 * What a simulated caller says, 20 ms at a time, whatever carries the call: silence, the
 * scripted interruption at `bargeInAtMs`, and (turn-taking) an answer once the agent went quiet.
 * With burst marking, silence carries a burst every MARKER_PERIOD_FRAMES frames and utterances
 * start on such a slot (their onset is that slot's marker).
 */
import { wallClockMs } from '@switchboard/testkit';
import { MARKER_PERIOD_FRAMES, markerFrameMulaw } from '../markers.ts';
import type { LoadPlan } from '../protocol.ts';

export const FRAME_BYTES = 160;
export const SILENCE = Buffer.alloc(FRAME_BYTES, 0xff);
const MARKER = markerFrameMulaw();
/** The agent is "done talking" when nothing arrived for this long and nothing is left to play. */
export const QUIET_MS = 400;
/** Pause between the end of the caller's last utterance and the next one. */
const TURN_GAP_MS = 1_000;

export class CallerVoice {
  #plan: LoadPlan;
  #speech: Buffer;
  #utterLeft = 0;
  #utterPos = 0;
  /** The previous frame was speech. */
  #speaking = false;
  #utterEndWall = 0;
  #bargeInDone = false;
  /** Agent audio arrived since the caller last spoke. */
  mediaSinceUtterance = false;
  /** Tag number of the interruption's first frame (its send time is the speech onset). */
  bargeInTag = -1;

  constructor(plan: LoadPlan, speech: Buffer) {
    this.#plan = plan;
    this.#speech = speech;
  }

  /** Frame `n` of the call; `agentQuiet` says whether the agent has finished talking. */
  next(n: number, connectWall: number, agentQuiet: () => boolean): { frame: Buffer; marker: boolean } {
    const bursts = this.#plan.marks === 'bursts';
    const slot = n % MARKER_PERIOD_FRAMES === 0;
    if (this.#utterLeft === 0 && (!bursts || slot)) {
      const now = wallClockMs();
      const p = this.#plan;
      if (p.bargeInAtMs !== null && !this.#bargeInDone && now - connectWall >= p.bargeInAtMs) {
        this.#bargeInDone = true;
        this.bargeInTag = n;
        this.#start();
      } else if (
        p.turnTaking &&
        this.mediaSinceUtterance &&
        agentQuiet() &&
        now - this.#utterEndWall > TURN_GAP_MS
      ) {
        this.#start();
      }
    }
    if (this.#utterLeft === 0) {
      // A burst right after speech would have no rising edge: skip that slot.
      const afterSpeech = this.#speaking;
      this.#speaking = false;
      if (bursts && slot && !afterSpeech) return { frame: MARKER, marker: true };
      return { frame: SILENCE, marker: false };
    }
    this.#speaking = true;
    const first = this.#utterPos === 0;
    const frame = this.#speech.subarray(this.#utterPos, this.#utterPos + FRAME_BYTES);
    this.#utterPos += FRAME_BYTES;
    if (--this.#utterLeft === 0) this.#utterEndWall = wallClockMs();
    return { frame: frame.length === FRAME_BYTES ? frame : SILENCE, marker: bursts && first };
  }

  #start(): void {
    this.#utterLeft = Math.floor(this.#speech.length / FRAME_BYTES);
    this.#utterPos = 0;
    this.mediaSinceUtterance = false;
  }
}
