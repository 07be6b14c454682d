/**
 * Caps on things that run at once and cost money or memory: browser test calls (each a model
 * session) per user and per organization, SSE streams per user or API key. Per process; a slot
 * is taken for every key or for none.
 */
export class ConcurrencyCaps {
  #counts = new Map<string, number>();

  /**
   * Takes one slot under each `key` when every key is below its limit: returns the release (safe
   * to call twice), or the first key that is full.
   */
  acquire(
    keys: Array<{ key: string; limit: number }>,
  ): { ok: true; release: () => void } | { ok: false; full: string } {
    for (const { key, limit } of keys) {
      if ((this.#counts.get(key) ?? 0) >= limit) return { ok: false, full: key };
    }
    for (const { key } of keys) this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        for (const { key } of keys) {
          const left = (this.#counts.get(key) ?? 1) - 1;
          if (left > 0) this.#counts.set(key, left);
          else this.#counts.delete(key);
        }
      },
    };
  }

  count(key: string): number {
    return this.#counts.get(key) ?? 0;
  }
}
