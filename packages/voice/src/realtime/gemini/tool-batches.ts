/**
 * Gemini tool-call bookkeeping (docs/realtime-gemini.md#tool-calls): one `toolCall` may carry
 * several `functionCalls`; the reply is one `toolResponse` holding a `functionResponses` entry per
 * id. Results are collected per `toolCall` and sent once every id is answered or cancelled
 * (`toolCallCancellation`). Results for cancelled ids are dropped.
 */

type Obj = Record<string, unknown>;
export interface FunctionResponse {
  id: string;
  name: string;
  response: Obj;
}

export class ToolBatches {
  #batches: Array<{ open: Set<string>; responses: FunctionResponse[] }> = [];
  #cancelled = new Set<string>();

  /** A `toolCall` arrived with these ids. */
  add(ids: string[]): void {
    if (ids.length > 0) this.#batches.push({ open: new Set(ids), responses: [] });
  }

  /** Ids of calls still waiting for a result. */
  get pending(): number {
    let n = 0;
    for (const b of this.#batches) n += b.open.size;
    return n;
  }

  isCancelled(id: string): boolean {
    return this.#cancelled.has(id);
  }

  /** Marks ids cancelled; returns the `toolResponse`s that became complete. */
  cancel(ids: string[]): Obj[] {
    for (const id of ids) {
      this.#cancelled.add(id);
      for (const b of this.#batches) b.open.delete(id);
    }
    return this.#takeComplete();
  }

  /**
   * Records a result; returns the `toolResponse`s to send now (none while others of the same
   * `toolCall` are still running; one of its own when the id belongs to no known batch).
   */
  result(id: string, name: string, output: string): Obj[] {
    if (this.#cancelled.has(id)) return [];
    const response = { id, name, response: toResponse(output) };
    const batch = this.#batches.find((b) => b.open.has(id));
    if (!batch) return [message([response])];
    batch.open.delete(id);
    batch.responses.push(response);
    return this.#takeComplete();
  }

  #takeComplete(): Obj[] {
    const out: Obj[] = [];
    this.#batches = this.#batches.filter((b) => {
      if (b.open.size > 0) return true;
      if (b.responses.length > 0) out.push(message(b.responses));
      return false;
    });
    return out;
  }
}

function message(functionResponses: FunctionResponse[]): Obj {
  return { toolResponse: { functionResponses } };
}

/**
 * The registry's output string → `response`: `{ error }` stays an error (Gemini reads the
 * `error` key), anything else goes under `output`.
 */
export function toResponse(output: string): Obj {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return { output };
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const keys = Object.keys(parsed);
    if (keys.length === 1 && keys[0] === 'error') return parsed as Obj;
  }
  return { output: parsed };
}
