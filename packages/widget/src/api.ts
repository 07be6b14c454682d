/**
 * The widget's side of the server contract (docs/widget.md): the public config, a session
 * (single-use token + socket URL) per connection, and a visitor id kept in localStorage so a
 * returning visitor continues the conversation.
 */
export interface WidgetTheme {
  color?: string;
  position?: 'bottom-right' | 'bottom-left';
  title?: string;
  welcomeMessage?: string;
  avatarUrl?: string;
}

export interface WidgetConfig {
  channels: ('chat' | 'voice')[];
  theme: WidgetTheme;
  agentName: string;
}

/** A refusal with the server's friendly message. */
export class WidgetError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, credentials: 'omit', mode: 'cors' });
  } catch {
    throw new WidgetError('network', 'The assistant cannot be reached right now. Please try again later.');
  }
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) {
    throw new WidgetError(
      body?.error?.code ?? `http_${res.status}`,
      body?.error?.message ?? 'The assistant is not available right now.',
    );
  }
  return body as T;
}

export function fetchConfig(server: string, key: string): Promise<WidgetConfig> {
  return call(`${server}/api/widget/config?key=${encodeURIComponent(key)}`);
}

export async function openSocket(server: string, key: string, channel: 'chat' | 'voice'): Promise<WebSocket> {
  const grant = await call<{ token: string; url: string }>(`${server}/api/widget/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ agentKey: key, channel, visitorId: visitorId(key) }),
  });
  return new WebSocket(`${grant.url}?token=${encodeURIComponent(grant.token)}`);
}

function visitorId(key: string): string | undefined {
  try {
    const name = `switchboard-widget:${key}`;
    let id = localStorage.getItem(name);
    if (!id || !/^[\w-]{16,64}$/.test(id)) {
      id = crypto.randomUUID();
      localStorage.setItem(name, id);
    }
    return id;
  } catch {
    return undefined; // storage blocked: every visit starts a new conversation
  }
}
