import {
  INTERRUPTION_SENSITIVITIES,
  keypadShortcutProblems,
  PROVIDER_FACTS,
  type Provider,
  TOOL_INFO,
  TOOL_NAMES,
  type ToolName,
  TUNING_FIELDS,
  type Tuning,
} from '@switchboard/shared';
import { useId } from 'react';
import { VAD_LABELS } from '../lib/agent-meta.ts';
import type { FieldErrors } from '../lib/error-details.ts';
import { formatTuning, humanize } from '../lib/format.ts';
import { SelectField } from './form.tsx';

export function ToolToggles({
  tools,
  onChange,
  error,
  unmet = {},
}: {
  tools: readonly string[];
  onChange: (tools: string[]) => void;
  error?: string | undefined;
  /** Tools whose prerequisite is missing, with what to do: warned about, not offered on calls. */
  unmet?: Partial<Record<ToolName, string>>;
}) {
  return (
    <fieldset className="tool-list">
      <legend>Tools the agent may use during a call</legend>
      {TOOL_NAMES.map((t) => {
        const id = `tool-${t}`;
        return (
          <div key={t} className="check">
            <input
              id={id}
              type="checkbox"
              checked={tools.includes(t)}
              onChange={(e) => onChange(e.target.checked ? [...tools, t] : tools.filter((x) => x !== t))}
              aria-describedby={`${id}-help`}
            />
            <label htmlFor={id}>
              {TOOL_INFO[t].label} <code className="muted small">{t}</code>
            </label>
            <p id={`${id}-help`} className="field__hint">
              {TOOL_INFO[t].help}
              {unmet[t] ? (
                <span className="tool-warning" role="status">
                  {' '}
                  ⚠ {unmet[t]} Until then, calls do not offer this tool.
                </span>
              ) : null}
            </p>
          </div>
        );
      })}
      {error ? <p className="field__error">{error}</p> : null}
    </fieldset>
  );
}

type SliderKey = keyof typeof TUNING_FIELDS;

function Slider({
  name,
  value,
  onChange,
  error,
}: {
  name: SliderKey;
  value: number;
  onChange: (v: number) => void;
  error?: string | undefined;
}) {
  const f = TUNING_FIELDS[name];
  const id = useId();
  const text = formatTuning(value, f.unit);
  return (
    <div className={`field slider${error ? ' field--invalid' : ''}`}>
      <div className="slider__top">
        <label htmlFor={id}>{f.label}</label>
        <output htmlFor={id} className="slider__value">
          {text}
        </output>
      </div>
      <input
        id={id}
        type="range"
        min={f.min}
        max={f.max}
        step={f.step}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        aria-valuetext={text}
        aria-describedby={`${id}-help`}
        aria-invalid={error ? true : undefined}
      />
      <div className="slider__range muted small" aria-hidden="true">
        <span>{formatTuning(f.min, f.unit)}</span>
        <span>default {formatTuning(f.default, f.unit)}</span>
        <span>{formatTuning(f.max, f.unit)}</span>
      </div>
      <p id={`${id}-help`} className="field__hint">
        {f.help}
      </p>
      {error ? <p className="field__error">{error}</p> : null}
    </div>
  );
}

export function TuningControls({
  tuning,
  provider,
  onChange,
  errors,
}: {
  tuning: Tuning;
  provider: Provider;
  onChange: (t: Tuning) => void;
  errors: FieldErrors;
}) {
  const set = <K extends keyof Tuning>(k: K, v: Tuning[K]) => onChange({ ...tuning, [k]: v });
  const { vadTypes } = PROVIDER_FACTS[provider];
  const sliders = Object.keys(TUNING_FIELDS) as SliderKey[];
  const isDefault =
    sliders.every((k) => tuning[k] === TUNING_FIELDS[k].default) &&
    tuning.vadType === 'server_vad' &&
    tuning.interruptionSensitivity === 'medium';
  return (
    <>
      <div className="form-grid">
        <SelectField
          label="Turn detection"
          value={tuning.vadType}
          onChange={(v) => set('vadType', vadTypes.find((t) => t === v) ?? 'server_vad')}
          options={vadTypes.map((t) => ({ value: t, label: VAD_LABELS[t] }))}
          hint={
            vadTypes.includes('semantic_vad')
              ? 'Semantic detection waits until the caller sounds finished; silence-based answers after a pause.'
              : `${PROVIDER_FACTS[provider].label} detects turns from silence.`
          }
          error={errors['tuning.vadType']}
        />
        <SelectField
          label="Interruption sensitivity"
          value={tuning.interruptionSensitivity}
          onChange={(v) => set('interruptionSensitivity', v as Tuning['interruptionSensitivity'])}
          options={INTERRUPTION_SENSITIVITIES.map((s) => ({ value: s, label: humanize(s) }))}
          hint="Low ignores short sounds like “mm-hm”; high stops talking at once when the caller speaks."
          error={errors['tuning.interruptionSensitivity']}
        />
      </div>
      <div className="slider-grid">
        {sliders.map((k) => (
          <Slider
            key={k}
            name={k}
            value={tuning[k]}
            onChange={(v) => set(k, v)}
            error={errors[`tuning.${k}`]}
          />
        ))}
      </div>
      <button
        type="button"
        className="btn btn--small tuning-reset"
        disabled={isDefault}
        onClick={() =>
          onChange({
            ...tuning,
            vadType: 'server_vad',
            interruptionSensitivity: 'medium',
            ...Object.fromEntries(sliders.map((k) => [k, TUNING_FIELDS[k].default])),
          })
        }
      >
        Reset call handling to defaults
      </button>
    </>
  );
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'];

/** Keypad shortcuts: a digit the caller presses runs a tool (e.g. 0 → transfer). */
export function DtmfActions({
  actions,
  onChange,
  error,
  transferNumber,
}: {
  actions: Record<string, ToolName>;
  onChange: (a: Record<string, ToolName>) => void;
  error?: string | undefined;
  transferNumber: string | null;
}) {
  const entries = Object.entries(actions);
  const problems = keypadShortcutProblems({ dtmfActions: actions, transferNumber });
  const free = DIGITS.filter((d) => !(d in actions));
  return (
    <fieldset className="dtmf">
      <legend>Keypad shortcuts</legend>
      <p className="field__hint">When the caller presses a key, the agent runs the chosen tool right away.</p>
      {entries.length === 0 ? <p className="muted small">No shortcuts.</p> : null}
      {entries.map(([digit, tool]) => (
        <div key={digit} className="dtmf__row">
          <SelectField
            label="Key"
            value={digit}
            onChange={(d) => {
              const next = { ...actions };
              delete next[digit];
              onChange({ ...next, [d]: tool });
            }}
            options={[digit, ...free]}
          />
          <SelectField
            label="Runs"
            value={tool}
            onChange={(t) => onChange({ ...actions, [digit]: t as ToolName })}
            options={TOOL_NAMES.map((t) => ({ value: t, label: TOOL_INFO[t].label }))}
          />
          <button
            type="button"
            className="btn btn--small btn--ghost"
            aria-label={`Remove shortcut for key ${digit}`}
            onClick={() => {
              const next = { ...actions };
              delete next[digit];
              onChange(next);
            }}
          >
            Remove
          </button>
          {problems[digit] ? (
            <p className="field__error dtmf__problem" role="status">
              {problems[digit]}
            </p>
          ) : null}
        </div>
      ))}
      {free[0] ? (
        <button
          type="button"
          className="btn btn--small dtmf__add"
          onClick={() => onChange({ ...actions, [free[0] as string]: 'transfer_call' })}
        >
          Add shortcut
        </button>
      ) : null}
      {error ? <p className="field__error">{error}</p> : null}
    </fieldset>
  );
}
