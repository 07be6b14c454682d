/**
 * Turn bookkeeping for Gemini, which has no item or response ids: a model turn runs from its
 * first output to `turnComplete`; the adapter names it (`gm…_r<n>` / `gm…_a<n>`) so
 * `CallSession` can key playback, and accumulates transcripts per turn. Ids are unique per
 * process, so sessions replaced on reconnect never reuse one.
 */
import type { ModelSessionEvents, ModelUsage } from '../types.ts';

let sessionSeq = 0;

export interface ModelTurn {
  responseId: string;
  itemId: string;
  /** Interrupted by the caller (or cancelled): the rest of its audio is dropped. */
  interrupted: boolean;
  text: string;
  usage: ModelUsage | undefined;
}

type Emit = <K extends keyof ModelSessionEvents>(event: K, payload: ModelSessionEvents[K]) => void;

export class Turns {
  #prefix = `gm${(++sessionSeq).toString(36)}`;
  #seq = 0;
  #emit: Emit;
  current: ModelTurn | null = null;
  #user: { itemId: string; text: string } | null = null;

  constructor(emit: Emit) {
    this.#emit = emit;
  }

  /** The active turn, starting one (and emitting `response_started`) if needed. */
  ensure(): ModelTurn {
    if (this.current) return this.current;
    this.#seq++;
    this.current = {
      responseId: `${this.#prefix}_r${this.#seq}`,
      itemId: `${this.#prefix}_a${this.#seq}`,
      interrupted: false,
      text: '',
      usage: undefined,
    };
    this.#emit('response_started', { responseId: this.current.responseId });
    return this.current;
  }

  assistantText(delta: string): void {
    const turn = this.ensure();
    turn.text += delta;
    this.#emit('transcript', { role: 'assistant', text: turn.text, final: false, itemId: turn.itemId });
  }

  userText(delta: string, finished: boolean): void {
    if (delta) {
      this.#seq += this.#user ? 0 : 1;
      this.#user ??= { itemId: `${this.#prefix}_u${this.#seq}`, text: '' };
      this.#user.text += delta;
      this.#emit('transcript', {
        role: 'user',
        text: this.#user.text,
        final: false,
        itemId: this.#user.itemId,
      });
    }
    if (finished) this.finishUser();
  }

  finishUser(): void {
    const user = this.#user;
    if (!user) return;
    this.#user = null;
    this.#emit('transcript', { role: 'user', text: user.text.trim(), final: true, itemId: user.itemId });
  }

  /** `turnComplete`: final transcripts and `response_done`. Returns whether a turn was open. */
  complete(usage: ModelUsage | undefined): boolean {
    const turn = this.current;
    if (!turn) return false;
    this.current = null;
    // The caller is still talking after an interruption: keep their transcript item open.
    if (!turn.interrupted) this.finishUser();
    if (turn.text) {
      this.#emit('transcript', {
        role: 'assistant',
        text: turn.text.trim(),
        final: true,
        itemId: turn.itemId,
      });
    }
    const done: ModelSessionEvents['response_done'] = {
      responseId: turn.responseId,
      status: turn.interrupted ? 'cancelled' : 'completed',
    };
    const u = usage ?? turn.usage;
    if (u) done.usage = u;
    this.#emit('response_done', done);
    return true;
  }
}
