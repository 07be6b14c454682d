/**
 * The studio's text test chat socket (WS /api/agents/:id/test-chat): opened on the first
 * message (queued until `ready`), closed on reset. Everything the server says goes to `on`;
 * a close before `ready` without a reason the server gave becomes an error.
 */
import type { TestChatOutbound } from '@switchboard/shared';
import { errorMessage, ticketUrl } from '../api.ts';

export interface TestChatEvents {
  message(m: TestChatOutbound): void;
  closed(explained: boolean): void;
}

export class TestChatSocket {
  #ws: WebSocket | null = null;
  #queue: string[] = [];
  #ready = false;
  #explained = false;
  /** True while a ticket is being fetched for the next socket. */
  #connecting = false;
  readonly #agentId: string;
  readonly #on: TestChatEvents;

  constructor(agentId: string, on: TestChatEvents) {
    this.#agentId = agentId;
    this.#on = on;
  }

  get open(): boolean {
    return this.#ws !== null || this.#connecting;
  }

  send(text: string): void {
    const frame = JSON.stringify({ type: 'message', text });
    if (this.#ready && this.#ws) {
      this.#ws.send(frame);
      return;
    }
    this.#queue.push(frame);
    if (!this.#ws && !this.#connecting) void this.#connect();
  }

  close(): void {
    const ws = this.#ws;
    this.#ws = null;
    this.#ready = false;
    this.#queue = [];
    this.#connecting = false;
    if (ws) {
      ws.onclose = null;
      ws.onmessage = null;
      ws.close();
    }
  }

  /** Opens the socket with a fresh single-use ticket (POST /api/auth/ticket). */
  async #connect(): Promise<void> {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const path = `/api/agents/${encodeURIComponent(this.#agentId)}/test-chat`;
    this.#connecting = true;
    let url: string;
    try {
      url = await ticketUrl(path);
    } catch (err) {
      if (!this.#connecting) return;
      this.#connecting = false;
      this.#queue = [];
      this.#on.message({ type: 'error', code: 'unauthorized', message: errorMessage(err) });
      this.#on.closed(true);
      return;
    }
    if (!this.#connecting) return; // reset while the ticket was on its way
    this.#connecting = false;
    const ws = new WebSocket(`${proto}//${location.host}${url}`);
    this.#ws = ws;
    this.#explained = false;
    ws.onmessage = (e) => {
      let m: TestChatOutbound;
      try {
        m = JSON.parse(String(e.data)) as TestChatOutbound;
      } catch {
        return;
      }
      if (m.type === 'ready') {
        this.#ready = true;
        for (const frame of this.#queue.splice(0)) ws.send(frame);
      }
      if (m.type === 'error' || m.type === 'ended') this.#explained = true;
      this.#on.message(m);
    };
    ws.onclose = () => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#ready = false;
      this.#queue = [];
      this.#on.closed(this.#explained);
    };
  }
}
