/**
 * Barge-in accounting (docs/realtime.md#barge-in-accounting). Every forwarded assistant chunk is
 * followed by a mark; an echoed mark proves the audio before it was played. On `clear` all
 * outstanding marks are voided, because Twilio echoes them at once without playing them.
 */

export interface ItemPlayback {
  itemId: string;
  /** Audio of this item sent to the phone, ms. */
  forwardedMs: number;
  /** Audio of this item confirmed played by marks, ms (≤ forwardedMs). */
  playedMs: number;
  /** Marks sent for this item and not yet echoed. */
  pendingMarks: number;
  /** No more audio will come for this item (its response ended, or it was interrupted). */
  done: boolean;
}

interface PendingMark {
  itemId: string;
  cumulativeMs: number;
}

export class PlaybackTracker {
  #items = new Map<string, ItemPlayback>();
  /** Outstanding marks in send order (Map keeps insertion order). */
  #marks = new Map<string, PendingMark>();
  #drainWaiters: Array<{ lastMark: string; resolve: () => void }> = [];

  /** Records `ms` of audio forwarded for `itemId`; returns the mark name to send right after it. */
  forwarded(itemId: string, ms: number): string {
    let item = this.#items.get(itemId);
    if (!item) {
      item = { itemId, forwardedMs: 0, playedMs: 0, pendingMarks: 0, done: false };
      this.#items.set(itemId, item);
    }
    item.forwardedMs += ms;
    let name = `${itemId}:${Math.round(item.forwardedMs)}`;
    for (let n = 2; this.#marks.has(name); n++) name = `${itemId}:${Math.round(item.forwardedMs)}#${n}`;
    this.#marks.set(name, { itemId, cumulativeMs: item.forwardedMs });
    item.pendingMarks++;
    return name;
  }

  /**
   * A mark came back. Marks play in order, so every earlier outstanding mark counts as played
   * too. Returns false for unknown names (voided by `clear`, or not ours).
   */
  played(name: string): boolean {
    if (!this.#marks.has(name)) return false;
    for (const [markName, mark] of this.#marks) {
      this.#marks.delete(markName);
      const item = this.#items.get(mark.itemId);
      if (item) {
        item.playedMs = Math.max(item.playedMs, mark.cumulativeMs);
        item.pendingMarks--;
      }
      if (markName === name) break;
    }
    this.#wakeDrained();
    return true;
  }

  /** True while some forwarded audio is not yet confirmed played. */
  get outstanding(): boolean {
    return this.#marks.size > 0;
  }

  /** Items with audio not yet confirmed played, oldest first (the first one is playing now). */
  unplayed(): ItemPlayback[] {
    return [...this.#items.values()].filter((item) => item.pendingMarks > 0);
  }

  /**
   * Barge-in: voids every outstanding mark (the phone queue is being cleared) and returns
   * snapshots of the interrupted items, oldest first: those with unplayed audio or still being
   * generated (`done: false` in the snapshot). They are finished and forgotten.
   */
  interrupt(): ItemPlayback[] {
    const interrupted: ItemPlayback[] = [];
    for (const item of this.#items.values()) {
      if (item.pendingMarks > 0 || !item.done) {
        interrupted.push({ ...item, pendingMarks: 0 });
        this.#items.delete(item.itemId);
      }
    }
    this.#marks.clear();
    this.#wakeDrained();
    return interrupted;
  }

  /** The current response ended: its items get no more audio. */
  finishItems(): void {
    for (const item of this.#items.values()) item.done = true;
  }

  /** Removes and returns items that are done and fully played. */
  takeCompleted(): ItemPlayback[] {
    const completed: ItemPlayback[] = [];
    for (const item of this.#items.values()) {
      if (item.done && item.pendingMarks === 0) {
        completed.push({ ...item });
        this.#items.delete(item.itemId);
      }
    }
    return completed;
  }

  /** Audio forwarded but not confirmed played, ms (all items). */
  get unplayedMs(): number {
    let ms = 0;
    for (const item of this.#items.values()) ms += item.forwardedMs - item.playedMs;
    return ms;
  }

  /** Resolves when every mark outstanding now has been echoed or voided. */
  drained(): Promise<void> {
    const lastMark = [...this.#marks.keys()].at(-1);
    if (lastMark === undefined) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push({ lastMark, resolve }));
  }

  /** Releases every `drained()` waiter (the call ended). */
  releaseWaiters(): void {
    for (const waiter of this.#drainWaiters.splice(0)) waiter.resolve();
  }

  #wakeDrained(): void {
    this.#drainWaiters = this.#drainWaiters.filter((waiter) => {
      if (this.#marks.has(waiter.lastMark)) return true;
      waiter.resolve();
      return false;
    });
  }
}

/**
 * Where to truncate an interrupted item: what was heard, never < 0, and for an item whose
 * generation had finished never more than forwarded minus a safety margin (the server's item can be
 * ~85 ms shorter than the sum of its deltas — docs/realtime.md#openai-traps). An item still being
 * generated is longer on the server than what we forwarded, so it needs no margin.
 */
export function truncationPoint(item: ItemPlayback, marginMs: number): number {
  const limit = item.done ? item.forwardedMs - marginMs : item.forwardedMs;
  return Math.max(0, Math.floor(Math.min(item.playedMs, limit)));
}
