import { openAiId } from '../util/ids.ts';
import type { ConvItem } from './response.ts';

/** The server-side conversation: items in order, for `previous_item_id`, truncation and tool calls. */
export class Conversation {
  readonly id = openAiId('conv');
  #items = new Map<string, ConvItem>();
  #order: string[] = [];

  /** Append; returns the previous item id (null for the first). */
  add(item: ConvItem): string | null {
    const previous = this.lastItemId();
    this.#items.set(item.id, item);
    this.#order.push(item.id);
    return previous;
  }

  get(id: string): ConvItem | undefined {
    return this.#items.get(id);
  }

  has(id: string): boolean {
    return this.#items.has(id);
  }

  lastItemId(): string | null {
    return this.#order.at(-1) ?? null;
  }

  previousItemId(id: string): string | null {
    const i = this.#order.indexOf(id);
    return i > 0 ? (this.#order[i - 1] ?? null) : null;
  }

  delete(id: string): boolean {
    if (!this.#items.delete(id)) return false;
    this.#order.splice(this.#order.indexOf(id), 1);
    return true;
  }

  /** The `function_call` item with this `call_id`. */
  findCall(callId: string): ConvItem | undefined {
    for (const item of this.#items.values())
      if (item.type === 'function_call' && item.callId === callId) return item;
    return undefined;
  }

  /** Latest assistant message that carried audio. */
  lastAssistantAudioItem(): ConvItem | undefined {
    for (let i = this.#order.length - 1; i >= 0; i--) {
      const item = this.#items.get(this.#order[i] ?? '');
      if (item?.role === 'assistant' && item.audioBytes > 0) return item;
    }
    return undefined;
  }

  get size(): number {
    return this.#order.length;
  }
}
