import { type CallDetail, isFinalCallStatus } from '@switchboard/shared';
import { useCallback, useEffect, useRef } from 'react';
import { api } from '../api.ts';
import { type LiveMessage, type LiveState, useLiveEvents } from './live.ts';
import { appendEvent, appendSegment } from './timeline.ts';
import { useApi } from './use-api.ts';

/** A call in this status has ended (the shared rule). */
export const isFinalStatus = isFinalCallStatus;

/** Applies one live event to a call detail (returns the same object when it is for another call). */
export function applyLiveMessage(call: CallDetail, m: LiveMessage): CallDetail {
  switch (m.name) {
    case 'call.updated':
      return m.payload.id === call.id ? { ...call, ...m.payload } : call;
    case 'call.transcript': {
      if (m.payload.callId !== call.id) return call;
      const { role, text, atMs } = m.payload;
      const transcript = appendSegment(call.transcript, { role, text, atMs });
      return transcript === call.transcript ? call : { ...call, transcript };
    }
    case 'call.event': {
      if (m.payload.callId !== call.id) return call;
      const events = appendEvent(call.events, m.payload.event);
      return events === call.events ? call : { ...call, events };
    }
  }
}

/**
 * Combines a freshly fetched call with the copy live events have been updating: a fetch may have
 * read the database just before an event arrived, so nothing already shown is dropped, and the
 * call's own fields come from whichever copy is newer.
 */
export function mergeCallDetail(fetched: CallDetail, current: CallDetail | undefined): CallDetail {
  if (!current || current.id !== fetched.id) return fetched;
  let transcript = fetched.transcript;
  for (const seg of current.transcript) transcript = appendSegment(transcript, seg);
  let events = fetched.events;
  for (const ev of current.events) events = appendEvent(events, ev);
  const base = current.updatedAt > fetched.updatedAt ? current : fetched;
  return {
    ...base,
    transcript:
      transcript === fetched.transcript ? transcript : [...transcript].sort((a, b) => a.atMs - b.atMs),
    events,
  };
}

/**
 * One call with its transcript and events, kept current while the call is in progress: live
 * events when the stream is up, polling every 3 s when it is not.
 */
export function useLiveCall(id: string | undefined) {
  const state = useApi<CallDetail>(id ? `/api/calls/${id}` : null);
  const live = !!state.data && !isFinalStatus(state.data.status);
  const { setData } = state;
  const onMessage = useCallback(
    (m: LiveMessage) => setData((prev) => (prev ? applyLiveMessage(prev, m) : prev)),
    [setData],
  );
  const liveState: LiveState = useLiveEvents(onMessage, live);

  useEffect(() => {
    if (!live || !id) return;
    const refresh = () =>
      api
        .get<CallDetail>(`/api/calls/${id}`)
        .then((d) => setData((prev) => mergeCallDetail(d, prev)))
        .catch(() => {
          // Keep what we have; the next tick or event brings it up to date.
        });
    // Catch up on anything said between the first load and the stream opening.
    if (liveState === 'open') {
      refresh();
      return;
    }
    const timer = setInterval(refresh, 3000);
    return () => clearInterval(timer);
  }, [live, liveState, id, setData]);

  // When a call we watched ends, its summary and disposition arrive a little later (post-call
  // processing): look again a couple of times.
  const wasLive = useRef(false);
  useEffect(() => {
    if (live) {
      wasLive.current = true;
      return;
    }
    if (!wasLive.current || !id) return;
    wasLive.current = false;
    const timers = [3000, 10_000].map((ms) =>
      setTimeout(() => {
        api
          .get<CallDetail>(`/api/calls/${id}`)
          .then((d) => setData((prev) => mergeCallDetail(d, prev)))
          .catch(() => {});
      }, ms),
    );
    return () => timers.forEach(clearTimeout);
  }, [live, id, setData]);

  return { ...state, live, liveState };
}
