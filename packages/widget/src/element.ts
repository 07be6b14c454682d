/**
 * `<switchboard-widget agent-key="wk_…" [mode="floating|inline"] [server="https://…"]>`: the
 * website widget (docs/widget.md). Shadow DOM, so the host page's CSS neither leaks in nor out.
 * Floating: a launcher button opens a panel (a dialog; Escape closes it, Tab stays inside).
 * Inline: the panel fills the element. Events (CustomEvent on the element): `open`, `close`,
 * `message` {role, text}, `call-start`, `call-end` {reason}, `error` {code, message}. Methods:
 * `open()`, `close()`, `send(text)`.
 */
import { fetchConfig, openSocket, type WidgetConfig } from './api.ts';
import { ChatChannel } from './chat.ts';
import { STYLES } from './styles.ts';
import { VoiceSession } from './voice.ts';

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';

/** Where the script was loaded from: the server, unless the element says otherwise. */
const SCRIPT_ORIGIN = (() => {
  try {
    const src = (document.currentScript as HTMLScriptElement | null)?.src;
    return src ? new URL(src).origin : location.origin;
  } catch {
    return location.origin;
  }
})();

export type WidgetEventMap = {
  open: undefined;
  close: undefined;
  message: { role: 'user' | 'assistant'; text: string };
  'call-start': undefined;
  'call-end': { reason: string };
  error: { code: string; message: string };
};

export class SwitchboardWidget extends HTMLElement {
  static observedAttributes = ['agent-key', 'mode'];
  readonly #root: ShadowRoot;
  #config: WidgetConfig | null = null;
  #chat: ChatChannel | null = null;
  #voice: VoiceSession | null = null;
  #pending: HTMLElement | null = null;
  #isOpen = false;
  #els!: {
    launcher: HTMLButtonElement;
    panel: HTMLElement;
    title: HTMLElement;
    avatar: HTMLImageElement;
    log: HTMLElement;
    status: HTMLElement;
    call: HTMLElement;
    callButton: HTMLButtonElement;
    input: HTMLTextAreaElement;
    sendButton: HTMLButtonElement;
  };

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
  }

  get #server(): string {
    return (this.getAttribute('server') ?? SCRIPT_ORIGIN).replace(/\/+$/, '');
  }

  get #key(): string {
    return this.getAttribute('agent-key') ?? '';
  }

  get #inline(): boolean {
    return this.getAttribute('mode') === 'inline';
  }

  connectedCallback(): void {
    if (!this.#els) this.#render();
    void this.#loadConfig();
  }

  disconnectedCallback(): void {
    this.#voice?.stop();
    this.#chat?.close();
  }

  attributeChangedCallback(): void {
    if (this.#els) this.#render();
  }

  /** Opens the panel (and the chat session). */
  open(): void {
    if (this.#isOpen) return;
    this.#isOpen = true;
    this.#els.panel.hidden = false;
    this.#els.launcher.setAttribute('aria-expanded', 'true');
    this.#els.input.focus();
    this.#emit('open', undefined);
    void this.#chatChannel()
      .open()
      .catch(() => {});
  }

  close(): void {
    if (!this.#isOpen || this.#inline) return;
    this.#isOpen = false;
    this.#els.panel.hidden = true;
    this.#els.launcher.setAttribute('aria-expanded', 'false');
    this.#els.launcher.focus();
    this.#emit('close', undefined);
  }

  /** Sends a chat message as the visitor. */
  async send(text: string): Promise<void> {
    const trimmed = text.trim();
    if (!trimmed) return;
    this.#setStatus('');
    this.#line('user', trimmed);
    this.#emit('message', { role: 'user', text: trimmed });
    try {
      await this.#chatChannel().send(trimmed);
    } catch (error) {
      const e = error as { code?: string; message?: string };
      this.#problem(e.code ?? 'chat_failed', e.message ?? 'The message could not be sent.');
    }
  }

  #emit<K extends keyof WidgetEventMap>(type: K, detail: WidgetEventMap[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }

  #render(): void {
    const inline = this.#inline;
    this.#root.innerHTML = `<style>${STYLES}</style>
<div class="${inline ? 'inline' : 'floating'}">
  <button class="launcher" type="button" aria-haspopup="dialog" aria-expanded="false" aria-label="Open chat"${inline ? ' hidden' : ''}>${CHAT_ICON}</button>
  <section class="panel" role="${inline ? 'region' : 'dialog'}" aria-labelledby="sbw-title"${inline ? '' : ' hidden'}>
    <header><img alt="" hidden><h2 id="sbw-title">Chat</h2>
      <button type="button" class="voice" hidden aria-label="Start a voice call">Call</button>
      <button type="button" class="close" aria-label="Close chat"${inline ? ' hidden' : ''}>✕</button></header>
    <div class="log" role="log" aria-live="polite" aria-label="Conversation"></div>
    <div class="call" role="status" hidden><span>Voice call in progress…</span><button type="button">Hang up</button></div>
    <div class="status" role="alert"></div>
    <form><label class="sr" for="sbw-input">Your message</label>
      <textarea id="sbw-input" rows="1" placeholder="Type a message…" maxlength="2000"></textarea>
      <button type="submit" aria-label="Send">Send</button></form>
  </section>
</div>`;
    const $ = <T extends HTMLElement>(selector: string) => this.#root.querySelector(selector) as T;
    this.#els = {
      launcher: $('.launcher'),
      panel: $('.panel'),
      title: $('h2'),
      avatar: $('header img'),
      log: $('.log'),
      status: $('.status'),
      call: $('.call'),
      callButton: $('header .voice'),
      input: $('textarea'),
      sendButton: $('form button'),
    };
    const els = this.#els;
    els.launcher.onclick = () => (this.#isOpen ? this.close() : this.open());
    $('header .close').onclick = () => this.close();
    els.callButton.onclick = () => this.#startCall();
    $('.call button').onclick = () => this.#voice?.stop();
    $('form').onsubmit = (e) => {
      e.preventDefault();
      const text = els.input.value;
      els.input.value = '';
      void this.send(text);
    };
    els.input.onkeydown = (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        ($('form') as HTMLFormElement).requestSubmit();
      }
    };
    els.panel.onkeydown = (e) => this.#trapFocus(e);
    if (inline) this.#isOpen = true;
    if (this.#config) this.#applyConfig(this.#config);
  }

  #trapFocus(e: KeyboardEvent): void {
    if (this.#inline) return;
    if (e.key === 'Escape') {
      this.close();
      return;
    }
    if (e.key !== 'Tab') return;
    const focusable = [
      ...this.#els.panel.querySelectorAll<HTMLElement>('button:not([hidden]),textarea'),
    ].filter((el) => !el.closest('[hidden]'));
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = this.#root.activeElement;
    if (e.shiftKey && active === first) {
      e.preventDefault();
      last?.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first?.focus();
    }
  }

  async #loadConfig(): Promise<void> {
    if (!this.#key) {
      this.#problem('missing_key', 'The widget has no agent-key.');
      return;
    }
    try {
      this.#config = await fetchConfig(this.#server, this.#key);
      this.#applyConfig(this.#config);
      if (this.#inline)
        void this.#chatChannel()
          .open()
          .catch(() => {});
    } catch (error) {
      const e = error as { code?: string; message?: string };
      this.#problem(e.code ?? 'unavailable', e.message ?? 'The assistant is not available.');
    }
  }

  #applyConfig(config: WidgetConfig): void {
    const { theme } = config;
    if (theme.color) this.style.setProperty('--c', theme.color);
    this.dataset.position = theme.position ?? 'bottom-right';
    const title = theme.title || config.agentName;
    this.#els.title.textContent = title;
    this.#els.launcher.setAttribute('aria-label', `Open chat with ${title}`);
    if (theme.avatarUrl) {
      this.#els.avatar.src = theme.avatarUrl;
      this.#els.avatar.hidden = false;
    }
    this.#els.callButton.hidden = !config.channels.includes('voice');
    const chat = config.channels.includes('chat');
    (this.#root.querySelector('form') as HTMLElement).hidden = !chat;
    if (theme.welcomeMessage && !this.#els.log.childElementCount)
      this.#line('assistant', theme.welcomeMessage);
  }

  #chatChannel(): ChatChannel {
    this.#chat ??= new ChatChannel(() => openSocket(this.#server, this.#key, 'chat'), {
      history: (lines) => {
        if (this.#els.log.dataset.restored) return;
        this.#els.log.dataset.restored = '1';
        for (const line of lines) this.#line(line.role, line.text);
      },
      typing: () => {
        this.#pending ??= this.#line('assistant', '…', 'typing');
      },
      delta: (text) => {
        const pending = this.#pending;
        if (!pending) return;
        if (pending.classList.contains('typing')) {
          pending.className = 'msg assistant';
          pending.textContent = '';
        }
        pending.textContent += text;
      },
      reply: (text) => {
        if (this.#pending) {
          this.#pending.className = 'msg assistant';
          this.#pending.textContent = text;
        } else this.#line('assistant', text);
        this.#pending = null;
        this.#emit('message', { role: 'assistant', text });
      },
      problem: (code, message) => {
        this.#pending?.remove();
        this.#pending = null;
        this.#problem(code, message);
      },
    });
    return this.#chat;
  }

  #startCall(): void {
    if (this.#voice) return;
    this.#setStatus('');
    this.#els.call.hidden = false;
    this.#els.callButton.disabled = true;
    const captions = new Map<'user' | 'assistant', HTMLElement>();
    const voice = new VoiceSession({
      ready: () => this.#emit('call-start', undefined),
      caption: (role, text, final) => {
        // Interim captions carry the utterance so far or only its newest words; a final one the whole.
        const line = captions.get(role);
        if (!line) {
          const created = this.#line(role, text, 'caption');
          if (!final) captions.set(role, created);
          return;
        }
        const sofar = line.textContent ?? '';
        line.textContent = final || text.startsWith(sofar) ? text : sofar + text;
        if (final) captions.delete(role);
      },
      ended: (reason) => this.#endCall(reason),
      failed: (code, message) => {
        this.#endCall(code);
        this.#problem(code, message);
      },
    });
    this.#voice = voice;
    void voice.start(() => openSocket(this.#server, this.#key, 'voice'));
  }

  #endCall(reason: string): void {
    this.#voice = null;
    this.#els.call.hidden = true;
    this.#els.callButton.disabled = false;
    this.#emit('call-end', { reason });
  }

  #line(role: 'user' | 'assistant', text: string, extra = ''): HTMLElement {
    const line = document.createElement('div');
    line.className = `msg ${role} ${extra}`.trim();
    line.textContent = text;
    this.#els.log.append(line);
    this.#els.log.scrollTop = this.#els.log.scrollHeight;
    return line;
  }

  #problem(code: string, message: string): void {
    this.#setStatus(message);
    this.#emit('error', { code, message });
  }

  #setStatus(message: string): void {
    this.#els.status.textContent = message;
  }
}
