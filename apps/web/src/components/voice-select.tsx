/**
 * The studio's model and voice pickers. The voice has a "▶ Preview" button: the sample comes
 * from `GET /api/voice-preview` (made once by the server, then cached), fetched with the bearer
 * token into a blob URL (an <audio> element cannot send headers) and kept for the page's life.
 */
import type { Provider } from '@switchboard/shared';
import { useEffect, useRef, useState } from 'react';
import { errorMessage, fetchBlob } from '../api.ts';
import { useAgentOptions } from '../lib/agent-options.ts';
import { ListSelect } from './list-select.tsx';

/** Blob URLs of the samples heard on this page, by `provider-voice`. */
const samples = new Map<string, string>();

/** A picker of one of the provider's lists (models, voices). */
interface PickerProps {
  provider: Provider;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
}

export function ModelSelect({ provider, value, onChange, error }: PickerProps) {
  const facts = useAgentOptions().providers.find((p) => p.id === provider);
  return (
    <ListSelect
      label="Model"
      value={value}
      onChange={onChange}
      groups={[{ options: (facts?.models ?? []).map((m) => ({ value: m.id, label: m.label })) }]}
      error={error}
      hint={facts ? `Default: ${facts.defaultModel}` : undefined}
    />
  );
}

type PreviewState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'playing' }
  | { kind: 'error'; message: string };

export function VoiceSelect({ provider, value, onChange, error }: PickerProps) {
  const facts = useAgentOptions().providers.find((p) => p.id === provider);
  const [state, setState] = useState<PreviewState>({ kind: 'idle' });
  const audio = useRef<HTMLAudioElement | null>(null);
  const known = facts?.voices.some((v) => v.id === value) ?? false;
  useEffect(() => () => audio.current?.pause(), []);
  // A new voice: stop the old sample and forget its error.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the voice or provider changes.
  useEffect(() => {
    audio.current?.pause();
    setState({ kind: 'idle' });
  }, [provider, value]);

  function stop() {
    audio.current?.pause();
    setState({ kind: 'idle' });
  }

  async function preview() {
    const key = `${provider}-${value}`;
    setState({ kind: 'loading' });
    try {
      let url = samples.get(key);
      if (!url) {
        const query = new URLSearchParams({ provider, voice: value });
        url = URL.createObjectURL(await fetchBlob(`/api/voice-preview?${query}`));
        samples.set(key, url);
      }
      audio.current?.pause();
      const player = new Audio(url);
      audio.current = player;
      player.onended = () => setState({ kind: 'idle' });
      setState({ kind: 'playing' });
      await player.play();
    } catch (err) {
      setState({ kind: 'error', message: errorMessage(err) });
    }
  }

  return (
    <div className="voice-select">
      <ListSelect
        label="Voice"
        value={value}
        onChange={onChange}
        groups={[{ options: (facts?.voices ?? []).map((v) => ({ value: v.id, label: v.label })) }]}
        error={error}
      />
      <button
        type="button"
        className="btn btn--small voice-select__play"
        onClick={() => (state.kind === 'playing' ? stop() : preview())}
        disabled={!known || state.kind === 'loading'}
        aria-label={state.kind === 'playing' ? `Stop the ${value} sample` : `Preview the voice ${value}`}
      >
        {state.kind === 'loading' ? 'Loading…' : state.kind === 'playing' ? '■ Stop' : '▶ Preview'}
      </button>
      {state.kind === 'error' ? (
        <p className="field__error voice-select__error" role="alert">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
