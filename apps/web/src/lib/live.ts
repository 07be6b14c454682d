/**
 * One shared EventSource on `GET /api/events?token=…` for every page that wants live call
 * updates. Opened when the first subscriber arrives, closed when the last one leaves.
 * Pages fall back to polling while the state is not `open`.
 */
import type { LiveEventName, LiveEventPayload } from '@switchboard/shared';
import { useEffect, useRef, useState } from 'react';
import { getToken, tokenUrl } from '../api.ts';

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

function connect(): void {
  if (source || !getToken() || typeof EventSource === 'undefined') {
    if (typeof EventSource === 'undefined') setState('unavailable');
    return;
  }
  const es = new EventSource(tokenUrl('/api/events'));
  source = es;
  setState(everOpened ? 'reconnecting' : 'connecting');
  es.onopen = () => {
    everOpened = true;
    setState('open');
  };
  es.onerror = () => {
    if (es.readyState === EventSource.CONNECTING) {
      setState('reconnecting');
      return;
    }
    // CLOSED: the server refused (404/501 while the endpoint is being built, 401, 5xx).
    es.close();
    source = null;
    setState(everOpened ? 'reconnecting' : 'unavailable');
    clearTimeout(retryTimer);
    retryTimer = setTimeout(
      () => {
        if (listeners.size > 0) connect();
      },
      everOpened ? RETRY_MS : RETRY_MS * 6,
    );
  };
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
  if (listeners.size === 1) connect();
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
