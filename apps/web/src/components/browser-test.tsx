import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { BrowserCall, type CallPhase } from '../lib/browser-call.ts';
import { type Line, mergeTranscript } from '../lib/live-transcript.ts';
import { ChecklistItems, useMissingSteps } from './setup-checklist.tsx';

const PHASE_TEXT: Record<CallPhase, string> = {
  idle: 'Not connected',
  starting: 'Connecting…',
  connected: 'Connected — speak now',
  ended: 'Call ended',
  error: 'Could not connect',
};

/**
 * Talk to the agent from this browser: the microphone streams to the server, the agent's voice
 * plays back, and both sides' words appear as they are recognised. Saved agent settings are
 * used, so save changes first.
 */
export function BrowserTest({ agentId, unsaved }: { agentId: string; unsaved: boolean }) {
  const [phase, setPhase] = useState<CallPhase>('idle');
  const [detail, setDetail] = useState<string | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [callId, setCallId] = useState<string | null>(null);
  const callRef = useRef<BrowserCall | null>(null);
  const missing = useMissingSteps(['model']);
  const meterRef = useRef<HTMLSpanElement>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => () => callRef.current?.stop(), []);
  useEffect(() => {
    const el = listRef.current;
    if (el && lines.length) el.scrollTop = el.scrollHeight;
  }, [lines]);

  function start() {
    setLines([]);
    setDetail(null);
    setCallId(null);
    const call = new BrowserCall({
      phase: (p, d) => {
        setPhase(p);
        setDetail(d ?? null);
      },
      message: (m) => {
        if (m.type === 'ready') setCallId(m.callId);
        if (m.type === 'transcript') {
          const { role, text, final } = m;
          setLines((prev) => mergeTranscript(prev, { role, text, final }));
        }
        if (m.type === 'error') setDetail(m.message);
      },
      level: (level) => {
        // Written straight to the DOM: 50 updates a second should not re-render React.
        if (meterRef.current) meterRef.current.style.transform = `scaleX(${Math.min(1, level * 4)})`;
      },
    });
    callRef.current = call;
    void call.start(agentId);
  }

  const active = phase === 'starting' || phase === 'connected';
  return (
    <section className="card browser-test" aria-labelledby="test-title">
      <h2 id="test-title">Test in browser</h2>
      <p className="muted small">
        Talk to this agent through your microphone. It uses the saved settings
        {unsaved ? ' — save your changes first' : ''}. Headphones avoid echo.
      </p>
      {missing.length ? (
        <div className="alert alert--warn" role="status">
          <ChecklistItems items={missing} />
        </div>
      ) : null}
      <div className="browser-test__controls">
        {active ? (
          <button type="button" className="btn btn--danger" onClick={() => callRef.current?.stop()}>
            End test call
          </button>
        ) : (
          <button type="button" className="btn btn--primary" onClick={start}>
            {phase === 'idle' ? 'Start test call' : 'Call again'}
          </button>
        )}
        <span
          className={`browser-test__phase browser-test__phase--${phase}`}
          role="status"
          aria-live="polite"
        >
          {PHASE_TEXT[phase]}
          {detail && phase === 'ended' ? `: ${detail}` : ''}
        </span>
      </div>
      <div className="meter" aria-hidden="true">
        <span ref={meterRef} className="meter__fill" />
      </div>
      {phase === 'error' && detail ? (
        <p className="alert alert--error" role="alert">
          {detail}
        </p>
      ) : null}
      <ol
        ref={listRef}
        className="browser-test__transcript"
        aria-live="polite"
        aria-label="Test call transcript"
      >
        {lines.length === 0 ? (
          <li className="muted small">{active ? 'Say hello…' : 'The conversation appears here.'}</li>
        ) : (
          lines.map((l, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines only grow at the end.
            <li key={i} className={`turn turn--${l.role}${l.final ? '' : ' turn--interim'}`}>
              <span className="turn__speaker">{l.role === 'user' ? 'You' : 'Agent'}</span>
              <p className="turn__text">{l.text}</p>
            </li>
          ))
        )}
      </ol>
      {callId && !active ? (
        <p>
          <Link to={`/calls/${callId}`}>Open this call in the call log</Link>
        </p>
      ) : null}
    </section>
  );
}
