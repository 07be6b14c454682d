/**
 * One shared EventSource on `GET /api/events?ticket=…` for every page that wants live call
 * updates. Opened when the first subscriber arrives, closed when the last one leaves.
 * Pages fall back to polling while the state is not `open`.
 */
import type { LiveEventName, LiveEventPayload } from '@switchboard/shared';
import { useEffect, useRef, useState } from 'react';
import { getToken, ticketUrl } from '../api.ts';

export type LiveState = 'connecting' | 'open' | 'reconnecting' | 'unavailable';
export type LiveMessage = {
  [K in LiveEventName]: { name: K; payload: LiveEventPayload<K> };
}[LiveEventName];
type Listener = (message: LiveMessage) => void;

const EVENT_NAMES: readonly LiveEventName[] = ['call.updated', 'call.transcript', 'call.event'];
const RETRY_MS = 5000;

const listeners = new Set<Listener>();
const stateListeners = new Set<(s: LiveState) => void>();
let source: EventSource | null = null;
let state: LiveState = 'connecting';
let everOpened = false;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

function setState(next: LiveState): void {
  state = next;
  for (const l of stateListeners) l(next);
}

let connecting = false;

function scheduleReconnect(delayMs: number): void {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => {
    if (listeners.size > 0) void connect();
  }, delayMs);
}

async function connect(): Promise<void> {
  if (source || connecting || !getToken() || typeof EventSource === 'undefined') {
    if (typeof EventSource === 'undefined') setState('unavailable');
    return;
  }
  connecting = true;
  setState(everOpened ? 'reconnecting' : 'connecting');
  let url: string;
  try {
    // A fresh single-use ticket for every connection: EventSource's own retry would reuse a spent one.
    url = await ticketUrl('/api/events');
  } catch {
    setState(everOpened ? 'reconnecting' : 'unavailable');
    scheduleReconnect(everOpened ? RETRY_MS : RETRY_MS * 6);
    return;
  } finally {
    connecting = false;
  }
  if (listeners.size === 0 || source) return;
  const es = new EventSource(url);
  source = es;
  es.onopen = () => {
    everOpened = true;
    setState('open');
  };
  es.onerror = () => {
    // Dropped or refused (404/501 while the endpoint is being built, 401, 5xx): the ticket is
    // spent, so close and reconnect with a new one instead of letting EventSource retry.
    es.close();
    if (source === es) source = null;
    setState(everOpened ? 'reconnecting' : 'unavailable');
    scheduleReconnect(everOpened ? RETRY_MS : RETRY_MS * 6);
  };
  // The session was revoked (signed out elsewhere, password or role changed): asking for a new
  // ticket answers 401, which sends the page back to sign-in.
  es.addEventListener('revoked', () => {
    es.close();
    if (source === es) source = null;
    setState('reconnecting');
    scheduleReconnect(0);
  });
  for (const name of EVENT_NAMES) {
    es.addEventListener(name, (e) => {
      let payload: unknown;
      try {
        payload = JSON.parse((e as MessageEvent<string>).data);
      } catch {
        return;
      }
      const message = { name, payload } as LiveMessage;
      for (const l of listeners) l(message);
    });
  }
}

function disconnect(): void {
  clearTimeout(retryTimer);
  source?.close();
  source = null;
}

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  if (listeners.size === 1) void connect();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) disconnect();
  };
}

/**
 * Subscribes the component to live events while it is mounted (or while `enabled`).
 * The handler may change between renders without resubscribing.
 */
export function useLiveEvents(handler: Listener, enabled = true): LiveState {
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const [current, setCurrent] = useState<LiveState>(state);
  useEffect(() => {
    if (!enabled) return;
    stateListeners.add(setCurrent);
    const unsubscribe = subscribe((m) => handlerRef.current(m));
    setCurrent(state);
    return () => {
      stateListeners.delete(setCurrent);
      unsubscribe();
    };
  }, [enabled]);
  return current;
}

/** Short text for the connection indicator. */
export function liveStateLabel(s: LiveState): string {
  switch (s) {
    case 'open':
      return 'Live';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'unavailable':
      return 'Live updates unavailable — refreshing periodically';
  }
}
