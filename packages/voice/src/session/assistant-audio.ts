/**
 * The agent's side of the audio path for one call: forwards model audio to the phone with a
 * mark behind it at most every `markEveryMs` of audio (and wherever an item or a response ends),
 * tracks what was heard (marks plus the playout clock, playback-tracker.ts), runs the barge-in recipe, drops stale audio of
 * interrupted items, and measures turn latency (caller stopped → first agent audio sent).
 */
import { type AudioFormat, base64DurationMs } from '@switchboard/audio';
import type { ModelSession, ModelSessionEvents } from '../realtime/types.ts';
import type { TelephonyTransport } from '../types.ts';
import { type BargeInOutcome, bargeIn } from './barge-in.ts';
import { LatencyStats, type LatencySummary } from './latency.ts';
import { PlaybackTracker } from './playback-tracker.ts';
import type { CallSessionEvents } from './types.ts';

type WithoutAt<T> = Omit<T, 'atMs'>;

export interface AssistantAudioOptions {
  transport: TelephonyTransport;
  /** Truncation safety margin, ms. */
  marginMs: number;
  /** Audio covered by one mark at most, ms (MARK_EVERY_MS; 0: a mark behind every chunk). */
  markEveryMs?: number;
  now: () => number;
  onPlayback: (event: WithoutAt<CallSessionEvents['playback']>) => void;
  onBargeIn: (event: WithoutAt<CallSessionEvents['barge_in']>) => void;
  onTurnLatency: (turnLatencyMs: number) => void;
  /** A chunk went to the phone (the call's recording taps here, whatever the send path). */
  onSent?: (base64: string, format: AudioFormat, itemId: string) => void;
  /** Items cut short (barge-in or interrupt), with what the caller heard of each. */
  onCut?: (items: ReadonlyArray<{ itemId: string; heardMs: number }>) => void;
}

/** One mark per 100 ms of audio: a fifth of the marks of 20 ms chunks (issue 19). */
export const MARK_EVERY_MS = 100;

export class AssistantAudio {
  #o: AssistantAudioOptions;
  #tracker = new PlaybackTracker();
  #latency = new LatencyStats();
  /** After a barge-in, audio is stale until the next response starts. */
  #dropAudio = false;
  #cancelledItems = new Set<string>();
  #speechStoppedAt: number | null = null;
  #bargeIns = 0;

  constructor(options: AssistantAudioOptions) {
    this.#o = options;
  }

  /** Some forwarded audio is not yet confirmed played. */
  get outstanding(): boolean {
    return this.#tracker.outstanding;
  }
  get bargeIns(): number {
    return this.#bargeIns;
  }
  latency(): LatencySummary {
    return this.#latency.summary();
  }

  /** Sends one chunk and a mark behind it, unless it belongs to an interrupted response. */
  forward({ base64, itemId, format }: ModelSessionEvents['audio']): void {
    if (this.#dropAudio || this.#cancelledItems.has(itemId)) return;
    const t = this.#o.transport;
    // A mark covers one item: the previous item's unmarked tail gets its own mark first.
    if (this.#tracker.unmarkedItem !== null && this.#tracker.unmarkedItem !== itemId) this.#flushMark();
    this.#tracker.append(itemId, base64DurationMs(base64, format), this.#o.now());
    const mark =
      this.#tracker.unmarkedMs >= (this.#o.markEveryMs ?? MARK_EVERY_MS) ? this.#tracker.markNow() : null;
    if (mark === null) t.sendAudio(base64, format);
    else if (t.sendAudioAndMark) t.sendAudioAndMark(base64, format, mark);
    else {
      t.sendAudio(base64, format);
      t.sendMark(mark);
    }
    this.#o.onSent?.(base64, format, itemId);
    if (this.#speechStoppedAt !== null) {
      const turnLatencyMs = this.#o.now() - this.#speechStoppedAt;
      this.#speechStoppedAt = null;
      this.#latency.record(turnLatencyMs);
      this.#o.onTurnLatency(turnLatencyMs);
    }
  }

  /**
   * A mark came back. Unknown names (echoed because of our own `clear`,
   * docs/telephony.md#messages-to-twilio) are ignored.
   */
  mark(name: string): void {
    if (this.#tracker.played(name, this.#o.now())) this.#emitCompleted();
  }

  responseStarted(): void {
    this.#dropAudio = false;
  }

  responseDone(): void {
    this.#flushMark();
    this.#tracker.finishItems();
    this.#emitCompleted();
  }

  /** The caller stopped talking, at `at` (the clock's ms) when known, else now. */
  speechStopped(at?: number): void {
    this.#speechStoppedAt = at ?? this.#o.now();
  }

  /** The caller started talking: barge in if the agent was talking or about to. */
  speechStarted(model: ModelSession | undefined, responseActive: boolean): void {
    this.#speechStoppedAt = null;
    const outcome = this.#cut(model, responseActive);
    const head = outcome.items[0];
    if (!head) return;
    this.#bargeIns++;
    this.#o.onBargeIn({
      itemId: head.itemId,
      clearLatencyMs: outcome.clearLatencyMs,
      heardMs: head.playedMs,
      forwardedMs: head.forwardedMs,
      truncatedAtMs: outcome.truncatedAtMs,
    });
  }

  /** The agent cuts itself short to say something else now: the barge-in recipe, not counted as one. */
  interrupt(model: ModelSession | undefined, responseActive: boolean): void {
    this.#cut(model, responseActive);
  }

  #cut(model: ModelSession | undefined, responseActive: boolean): BargeInOutcome {
    const outcome = bargeIn({
      tracker: this.#tracker,
      transport: this.#o.transport,
      model,
      responseActive,
      marginMs: this.#o.marginMs,
      now: this.#o.now(),
    });
    if (outcome.interruptedSomething) this.#dropAudio = true;
    if (outcome.items.length > 0)
      this.#o.onCut?.(outcome.items.map((item) => ({ itemId: item.itemId, heardMs: item.playedMs })));
    for (const item of outcome.items) {
      this.#cancelledItems.add(item.itemId);
      this.#o.onPlayback({
        itemId: item.itemId,
        heardMs: item.playedMs,
        forwardedMs: item.forwardedMs,
        interrupted: true,
      });
    }
    return outcome;
  }

  /**
   * Resolves when the audio sent so far has played, was cleared, `release()` was called, or
   * after the queued audio's duration plus `safetyMs` (a phone that never echoes marks).
   */
  async drained(safetyMs: number): Promise<void> {
    this.#flushMark();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const safety = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#tracker.unplayedMs + safetyMs);
    });
    await Promise.race([this.#tracker.drained(), safety]);
    clearTimeout(timer);
  }

  /** The call ended: release every `drained()` waiter. */
  release(): void {
    this.#tracker.releaseWaiters();
  }

  /** Sends the mark behind audio forwarded since the last one, if any. */
  #flushMark(): void {
    const mark = this.#tracker.markNow();
    if (mark !== null) this.#o.transport.sendMark(mark);
  }

  #emitCompleted(): void {
    for (const item of this.#tracker.takeCompleted()) {
      this.#o.onPlayback({
        itemId: item.itemId,
        heardMs: item.playedMs,
        forwardedMs: item.forwardedMs,
        interrupted: false,
      });
    }
  }
}
