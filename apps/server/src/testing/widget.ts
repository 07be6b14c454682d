/**
 * Test helpers for the website widget: switch an agent's widget on for an origin, ask for a
 * session as a page on some origin would, and a chat socket client.
 */
import type { WidgetSettings } from '@switchboard/shared';
import WebSocket from 'ws';
import type { SeededOrg, TestApp } from './test-app.ts';

export const SITE = 'https://shop.example.com';

export async function enableWidget(
  t: TestApp,
  org: SeededOrg,
  settings: Record<string, unknown> = {},
): Promise<WidgetSettings> {
  const res = await t
    .as(org.tokens.admin)
    .put(`/api/agents/${org.agent.id}/widget`, { enabled: true, allowedOrigins: [SITE], ...settings });
  if (res.statusCode !== 200) throw new Error(`enable widget: ${res.statusCode} ${res.body}`);
  return res.json() as WidgetSettings;
}

export function requestSession(
  t: TestApp,
  body: Record<string, unknown>,
  options: { origin?: string | null; ip?: string } = {},
) {
  const origin = options.origin === undefined ? SITE : options.origin;
  return t.app.inject({
    method: 'POST',
    url: '/api/widget/sessions',
    headers: origin ? { origin } : {},
    payload: body,
    ...(options.ip ? { remoteAddress: options.ip } : {}),
  });
}

type Msg = { type: string; [key: string]: unknown };

/** A visitor's chat socket. */
export class ChatClient {
  readonly messages: Msg[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly ws: WebSocket;

  constructor(url: string, origin: string | null = SITE) {
    this.ws = new WebSocket(url, origin ? { origin } : {});
    this.ws.on('message', (data) => this.messages.push(JSON.parse(String(data)) as Msg));
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  async waitFor(match: (m: Msg) => boolean, label: string, timeoutMs = 10_000): Promise<Msg> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${label}: ${JSON.stringify(this.messages)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The n-th (1-based) assistant message. */
  reply(n: number): Promise<Msg> {
    return this.waitFor(() => this.of('message').length >= n, `reply ${n}`).then(
      () => this.of('message')[n - 1]!,
    );
  }

  of(type: string): Msg[] {
    return this.messages.filter((m) => m.type === type);
  }

  say(text: string): void {
    this.ws.send(JSON.stringify({ type: 'message', text }));
  }

  close(): void {
    this.ws.close();
  }
}

/** Retries `check` (assertions) until it passes or `timeoutMs` passed; then throws its last error. */
export async function settled(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
