/**
 * Opens a WebSocket, waits until the server says the session is usable (or refuses), then
 * closes. Used by the OpenAI Realtime and Gemini Live connection tests. Never throws.
 */
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';

export interface ProbeResult {
  ok: boolean;
  message: string;
}

export interface WebSocketProbe {
  url: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** What the service is called in messages ("OpenAI Realtime"). */
  name: string;
  /** Sent once the socket is open (e.g. Gemini's `setup`). */
  first?: unknown;
  /** Decides from a server message: a result ends the probe, undefined keeps waiting. */
  onMessage(message: Record<string, unknown>): ProbeResult | undefined;
}

/** The `message` of a JSON error body (`{error:{message}}` or `{message}`), else the raw text. */
function errorText(body: string): string {
  try {
    const json = JSON.parse(body) as { error?: { message?: unknown }; message?: unknown };
    const message = json.error?.message ?? json.message;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: use the text itself.
  }
  return body.trim().slice(0, 200);
}

async function readBody(res: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of res) {
    body += String(chunk);
    if (body.length > 4096) break;
  }
  return body;
}

export function probeWebSocket(probe: WebSocketProbe): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let done = false;
    let ws: WebSocket;
    const finish = (result: ProbeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => {});
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else ws.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, message: `${probe.name} did not answer within ${probe.timeoutMs / 1000} s` }),
      probe.timeoutMs,
    );
    try {
      ws = new WebSocket(probe.url, { headers: probe.headers ?? {}, handshakeTimeout: probe.timeoutMs });
    } catch (error) {
      clearTimeout(timer);
      resolve({ ok: false, message: `${probe.name}: ${(error as Error).message}` });
      return;
    }
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      readBody(res).then(
        (body) =>
          finish({
            ok: false,
            message: `${probe.name} refused the connection (HTTP ${status}): ${errorText(body)}`,
          }),
        () => finish({ ok: false, message: `${probe.name} refused the connection (HTTP ${status})` }),
      );
    });
    ws.on('open', () => {
      if (probe.first !== undefined) ws.send(JSON.stringify(probe.first));
    });
    ws.on('message', (data) => {
      let message: unknown;
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      if (typeof message !== 'object' || message === null) return;
      const result = probe.onMessage(message as Record<string, unknown>);
      if (result) finish(result);
    });
    ws.on('close', (code, reason) => {
      const why = reason.toString() || 'no reason given';
      finish({ ok: false, message: `${probe.name} closed the connection (${code}): ${why}` });
    });
    ws.on('error', (error) => finish({ ok: false, message: `${probe.name}: ${error.message}` }));
  });
}
