/**
 * The call's recording. The server's own (`/api/calls/:id/recording`) needs the bearer token,
 * which an <audio> element cannot send: it is fetched on demand (so opening the page downloads
 * nothing) and played from a blob URL, released when the page closes. Other URLs (a message
 * left at Twilio after a failure) are only linked.
 */
import { useEffect, useState } from 'react';
import { errorMessage, fetchBlob } from '../api.ts';

type State =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; url: string }
  | { kind: 'error'; message: string };

export function RecordingPlayer({ url }: { url: string }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  useEffect(
    () => () => {
      if (state.kind === 'ready') URL.revokeObjectURL(state.url);
    },
    [state],
  );
  if (!url.startsWith('/api/')) {
    return (
      <a href={url} target="_blank" rel="noreferrer">
        Open the recording
      </a>
    );
  }
  const load = async () => {
    setState({ kind: 'loading' });
    try {
      const blob = await fetchBlob(url);
      setState({ kind: 'ready', url: URL.createObjectURL(blob) });
    } catch (err) {
      setState({ kind: 'error', message: errorMessage(err) });
    }
  };
  if (state.kind === 'ready') {
    return (
      <>
        {/* biome-ignore lint/a11y/useMediaCaption: the transcript on this page is the text alternative. */}
        <audio controls autoPlay src={state.url} />
        <p className="muted small">
          Caller on the left channel, agent on the right.{' '}
          <a href={state.url} download="recording.wav">
            Download
          </a>
        </p>
      </>
    );
  }
  return (
    <>
      <button type="button" className="btn btn--small" onClick={load} disabled={state.kind === 'loading'}>
        {state.kind === 'loading' ? 'Loading…' : 'Play the recording'}
      </button>
      {state.kind === 'error' ? (
        <p className="alert alert--error" role="alert">
          {state.message}
        </p>
      ) : null}
    </>
  );
}
