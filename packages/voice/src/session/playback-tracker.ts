/**
 * Barge-in accounting (docs/realtime.md#barge-in-accounting). Forwarded assistant audio is
 * followed by marks (one per chunk, or one per ~100 ms when coalesced: `append` + `markNow`);
 * an echoed mark proves the audio before it was played. On `clear` all outstanding marks are
 * voided, because Twilio echoes them at once without playing them.
 *
 * Given the time (`now`), what was heard at a barge-in is not just the last echoed mark but the
 * playout position: the phone plays its queue in real time, so from the last echo on it has
 * played the elapsed time, except where its queue ran dry (audio forwarded late). The tracker
 * keeps when all forwarded audio ends playing (`#playoutEndAt`, re-anchored on every echo and
 * pushed by every chunk: max(end, now) + duration); the position is forwarded − (end − now),
 * never less than what marks confirmed, nor past the first mark not yet echoed, nor more than
 * what was forwarded.
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
  /** Position of the mark in all audio forwarded on this call, ms. */
  totalMs: number;
}

export class PlaybackTracker {
  #items = new Map<string, ItemPlayback>();
  /** Outstanding marks in send order (Map keeps insertion order). */
  #marks = new Map<string, PendingMark>();
  #drainWaiters: Array<{ lastMark: string; resolve: () => void }> = [];
  /** All audio forwarded on this call, ms, and where each item's audio starts in it. */
  #totalMs = 0;
  #itemStart = new Map<string, number>();
  /** When the phone will have played everything forwarded (the `now` clock's ms). */
  #playoutEndAt = Number.NEGATIVE_INFINITY;
  /** The item whose last audio has no mark behind it yet, and how much audio that is. */
  #unmarkedItem: string | null = null;
  #unmarkedMs = 0;

  /** Records `ms` of audio forwarded for `itemId`; returns the mark name to send right after it. */
  forwarded(itemId: string, ms: number, now?: number): string {
    this.append(itemId, ms, now);
    return this.markNow() as string;
  }

  /**
   * Records `ms` of audio forwarded for `itemId` without a mark behind it (yet). Audio of another
   * item needs `markNow()` first (a mark covers one item).
   */
  append(itemId: string, ms: number, now?: number): void {
    if (this.#unmarkedItem !== null && this.#unmarkedItem !== itemId)
      throw new Error('mark the previous item first');
    let item = this.#items.get(itemId);
    if (!item) {
      item = { itemId, forwardedMs: 0, playedMs: 0, pendingMarks: 0, done: false };
      this.#items.set(itemId, item);
    }
    if (!this.#itemStart.has(itemId)) this.#itemStart.set(itemId, this.#totalMs);
    item.forwardedMs += ms;
    this.#totalMs += ms;
    if (now !== undefined) this.#playoutEndAt = Math.max(this.#playoutEndAt, now) + ms;
    this.#unmarkedItem = itemId;
    this.#unmarkedMs += ms;
  }

  /** The item with audio not yet followed by a mark, if any. */
  get unmarkedItem(): string | null {
    return this.#unmarkedItem;
  }
  /** Audio forwarded since the last mark, ms. */
  get unmarkedMs(): number {
    return this.#unmarkedMs;
  }

  /** The mark to send now, behind the audio appended since the last one (null: nothing to mark). */
  markNow(): string | null {
    const itemId = this.#unmarkedItem;
    const item = itemId === null ? undefined : this.#items.get(itemId);
    this.#unmarkedItem = null;
    this.#unmarkedMs = 0;
    if (!item) return null;
    let name = `${item.itemId}:${Math.round(item.forwardedMs)}`;
    for (let n = 2; this.#marks.has(name); n++) name = `${item.itemId}:${Math.round(item.forwardedMs)}#${n}`;
    this.#marks.set(name, { itemId: item.itemId, cumulativeMs: item.forwardedMs, totalMs: this.#totalMs });
    item.pendingMarks++;
    return name;
  }

  /**
   * A mark came back. Marks play in order, so every earlier outstanding mark counts as played
   * too. Returns false for unknown names (voided by `clear`, or not ours).
   */
  played(name: string, now?: number): boolean {
    const echoed = this.#marks.get(name);
    if (!echoed) return false;
    // Playback is at the mark now; what follows it was forwarded and plays on from here.
    if (now !== undefined) this.#playoutEndAt = now + (this.#totalMs - echoed.totalMs);
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
    return this.#marks.size > 0 || this.#unmarkedItem !== null;
  }

  /** Items with audio not yet confirmed played, oldest first (the first one is playing now). */
  unplayed(): ItemPlayback[] {
    return [...this.#items.values()].filter((item) => this.#hasUnplayed(item));
  }

  #hasUnplayed(item: ItemPlayback): boolean {
    return item.pendingMarks > 0 || item.itemId === this.#unmarkedItem;
  }

  /**
   * Barge-in: voids every outstanding mark (the phone queue is being cleared) and returns
   * snapshots of the interrupted items, oldest first: those with unplayed audio or still being
   * generated (`done: false` in the snapshot). They are finished and forgotten. With `now`, each
   * snapshot's `playedMs` is the playout position (class comment), else the last echoed mark.
   */
  interrupt(now?: number): ItemPlayback[] {
    const interrupted: ItemPlayback[] = [];
    // Not past the first mark not yet echoed (the phone has not reached it, give or take the echo's trip).
    const bound = this.#marks.values().next().value?.totalMs ?? this.#totalMs;
    const position =
      now === undefined ? null : Math.min(bound, this.#totalMs - Math.max(0, this.#playoutEndAt - now));
    for (const item of this.#items.values()) {
      if (this.#hasUnplayed(item) || !item.done) {
        const start = this.#itemStart.get(item.itemId) ?? 0;
        const playedMs =
          position === null
            ? item.playedMs
            : Math.min(item.forwardedMs, Math.max(item.playedMs, position - start));
        interrupted.push({ ...item, playedMs, pendingMarks: 0 });
        this.#items.delete(item.itemId);
        this.#itemStart.delete(item.itemId);
      }
    }
    this.#unmarkedItem = null;
    this.#unmarkedMs = 0;
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
      if (item.done && !this.#hasUnplayed(item)) {
        completed.push({ ...item });
        this.#items.delete(item.itemId);
        this.#itemStart.delete(item.itemId);
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
