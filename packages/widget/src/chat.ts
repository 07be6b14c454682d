/**
 * The widget's chat channel (docs/widget.md "Chat socket"): one socket per session, opened on
 * demand with a fresh single-use token and reopened when the visitor writes after it closed.
 * Up: `{type:'message', text}`. Down: `ready` (with the earlier conversation), `typing`,
 * `delta`, exactly one `message` per reply, `error`, `ended`.
 */
export interface ChatEvents {
  history(lines: { role: 'user' | 'assistant'; text: string }[]): void;
  typing(): void;
  delta(text: string): void;
  reply(text: string): void;
  problem(code: string, message: string): void;
}

export class ChatChannel {
  #ws: WebSocket | null = null;
  #opening: Promise<WebSocket> | null = null;
  readonly #connect: () => Promise<WebSocket>;
  readonly #on: ChatEvents;

  constructor(connect: () => Promise<WebSocket>, events: ChatEvents) {
    this.#connect = connect;
    this.#on = events;
  }

  /** Opens the session (idempotent); resolves once the server said `ready`. */
  open(): Promise<WebSocket> {
    if (this.#ws?.readyState === WebSocket.OPEN) return Promise.resolve(this.#ws);
    this.#opening ??= this.#open().finally(() => {
      this.#opening = null;
    });
    return this.#opening;
  }

  async #open(): Promise<WebSocket> {
    const ws = await this.#connect();
    return new Promise((resolve, reject) => {
      ws.onmessage = (e) => {
        let msg: { type: string; [key: string]: unknown };
        try {
          msg = JSON.parse(String(e.data));
        } catch {
          return;
        }
        if (msg.type === 'ready') {
          this.#ws = ws;
          this.#on.history((msg.history as { role: 'user' | 'assistant'; text: string }[]) ?? []);
          resolve(ws);
        } else if (msg.type === 'typing') this.#on.typing();
        else if (msg.type === 'delta') this.#on.delta(String(msg.text));
        else if (msg.type === 'message') this.#on.reply(String(msg.text));
        else if (msg.type === 'error') {
          this.#on.problem(String(msg.code), String(msg.message));
          if (this.#ws !== ws) reject(Object.assign(new Error(String(msg.message)), { code: msg.code }));
        }
      };
      ws.onclose = () => {
        if (this.#ws === ws) this.#ws = null;
        reject(new Error('The chat connection closed.'));
      };
    });
  }

  async send(text: string): Promise<void> {
    const ws = await this.open();
    ws.send(JSON.stringify({ type: 'message', text }));
  }

  close(): void {
    this.#ws?.close(1000);
    this.#ws = null;
  }
}
