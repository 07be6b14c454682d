import type { TestChatOutbound } from '@switchboard/shared';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { TestChatSocket } from '../lib/test-chat.ts';

type Item =
  | { kind: 'user' | 'assistant'; text: string }
  | { kind: 'tool'; name: string; arguments: unknown; ok: boolean; summary: string }
  | { kind: 'error'; code: string; message: string };

const KEY_CODES = new Set(['no_model_key', 'model_auth']);

/**
 * Chat with the agent in writing: its saved instructions (variables filled, the prospect's with
 * the sample values), its tools and the organization's text model key, without a microphone.
 * Each tool the agent runs is shown with its arguments and result; the conversation is stored
 * as a test in the call log.
 */
export function TestChat({ agentId, unsaved }: { agentId: string; unsaved: boolean }) {
  const [items, setItems] = useState<Item[]>([]);
  const [typing, setTyping] = useState('');
  const [waiting, setWaiting] = useState(false);
  const [callId, setCallId] = useState<string | null>(null);
  const [text, setText] = useState('');
  const socketRef = useRef<TestChatSocket | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => () => socketRef.current?.close(), []);
  useEffect(() => {
    const el = listRef.current;
    if (el && (items.length || typing)) el.scrollTop = el.scrollHeight;
  }, [items, typing]);

  function onMessage(m: TestChatOutbound) {
    const add = (item: Item) => setItems((prev) => [...prev, item]);
    if (m.type === 'started') setCallId(m.conversationId);
    else if (m.type === 'delta') setTyping((t) => t + m.text);
    else if (m.type === 'tool_call') add({ kind: 'tool', ...m });
    else if (m.type === 'message') {
      setTyping('');
      setWaiting(false);
      add({ kind: 'assistant', text: m.text });
    } else if (m.type === 'error') {
      setTyping('');
      setWaiting(false);
      add({ kind: 'error', code: m.code, message: m.message });
    } else if (m.type === 'ended') {
      setWaiting(false);
      add({ kind: 'error', code: 'ended', message: endedText(m.reason) });
    }
  }

  function socket(): TestChatSocket {
    socketRef.current ??= new TestChatSocket(agentId, {
      message: onMessage,
      closed: (explained) => {
        setWaiting(false);
        setTyping('');
        if (!explained) {
          setItems((prev) => [
            ...prev,
            {
              kind: 'error',
              code: 'closed',
              message: 'The connection to the server closed. Send again to retry.',
            },
          ]);
        }
      },
    });
    return socketRef.current;
  }

  function send(e: FormEvent) {
    e.preventDefault();
    const message = text.trim();
    if (!message || waiting) return;
    setItems((prev) => [...prev, { kind: 'user', text: message }]);
    setText('');
    setWaiting(true);
    socket().send(message);
  }

  function reset() {
    socketRef.current?.close();
    socketRef.current = null;
    setItems([]);
    setTyping('');
    setWaiting(false);
    setCallId(null);
  }

  return (
    <section className="card test-chat" aria-labelledby="test-chat-title">
      <h2 id="test-chat-title">Chat with this agent</h2>
      <p className="muted small">
        Try the instructions and tools in writing, without a microphone. It uses the saved settings
        {unsaved ? ' — save your changes first' : ''}; tools really run (a lead or booking is saved).
      </p>
      <ol ref={listRef} className="test-chat__log" aria-live="polite" aria-label="Test chat conversation">
        {items.length === 0 && !typing ? (
          <li className="muted small">Write a message to start, for example “I’d like to book a visit”.</li>
        ) : null}
        {items.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the list only grows at the end.
          <ChatItem key={i} item={item} />
        ))}
        {typing ? (
          <li className="turn turn--assistant turn--interim">
            <span className="turn__speaker">Agent</span>
            <p className="turn__text">{typing}</p>
          </li>
        ) : waiting ? (
          <li className="muted small" role="status">
            The agent is writing…
          </li>
        ) : null}
      </ol>
      <form className="test-chat__form" onSubmit={send}>
        <input
          aria-label="Message to the agent"
          value={text}
          maxLength={2000}
          onChange={(e) => setText(e.target.value)}
          placeholder="Type a message…"
          autoComplete="off"
        />
        <button type="submit" className="btn btn--primary" disabled={waiting || !text.trim()}>
          Send
        </button>
      </form>
      <div className="test-chat__footer">
        {callId ? <Link to={`/calls/${callId}`}>Open this chat in the call log</Link> : <span />}
        {items.length ? (
          <button type="button" className="btn btn--ghost btn--small" onClick={reset}>
            New chat
          </button>
        ) : null}
      </div>
    </section>
  );
}

function ChatItem({ item }: { item: Item }) {
  if (item.kind === 'tool') {
    return (
      <li className={`test-chat__tool${item.ok ? '' : ' test-chat__tool--failed'}`}>
        <span className="test-chat__tool-name">
          {item.ok ? 'Tool' : 'Tool failed'}: <code>{item.name}</code>
        </span>
        <code className="test-chat__tool-args">{JSON.stringify(item.arguments)}</code>
        {item.summary ? <span className="test-chat__tool-result">→ {item.summary}</span> : null}
      </li>
    );
  }
  if (item.kind === 'error') {
    return (
      <li className="alert alert--error test-chat__error" role="alert">
        {item.message}
        {KEY_CODES.has(item.code) ? (
          <>
            {' '}
            <Link to="/settings/integrations">Open Settings → Credentials</Link>
          </>
        ) : null}
      </li>
    );
  }
  return (
    <li className={`turn turn--${item.kind}`}>
      <span className="turn__speaker">{item.kind === 'user' ? 'You' : 'Agent'}</span>
      <p className="turn__text">{item.text}</p>
    </li>
  );
}

function endedText(reason: string): string {
  if (reason === 'agent_hangup') return 'The agent ended the conversation. Start a new chat to try again.';
  if (reason === 'max_duration') return 'The chat reached its time limit. Start a new chat.';
  return 'The chat ended.';
}
