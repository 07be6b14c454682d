/**
 * A labelled <select> over a list (optionally grouped) that never loses the current value: a
 * value the list does not hold is kept as the first option, marked "custom".
 */
import { Field } from './form.tsx';

export interface ListOption {
  value: string;
  label: string;
}
export interface ListGroup {
  /** No label: the options are listed without an <optgroup>. */
  label?: string;
  options: readonly ListOption[];
}

export function ListSelect({
  label,
  value,
  onChange,
  groups,
  empty,
  error,
  hint,
  disabled,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  groups: readonly ListGroup[];
  /** The label of the '' option (e.g. "The business's time zone"); no '' option when omitted. */
  empty?: string;
  error?: string | undefined;
  hint?: React.ReactNode;
  disabled?: boolean;
}) {
  const known =
    value === '' ? empty !== undefined : groups.some((g) => g.options.some((o) => o.value === value));
  return (
    <Field label={label} error={error} hint={hint}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          disabled={disabled}
        >
          {empty !== undefined ? <option value="">{empty}</option> : null}
          {known ? null : <option value={value}>{value ? `${value} (custom)` : '—'}</option>}
          {groups.flatMap((g) =>
            g.label
              ? [
                  <optgroup key={`group:${g.label}`} label={g.label}>
                    {g.options.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </optgroup>,
                ]
              : g.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                )),
          )}
        </select>
      )}
    </Field>
  );
}

/** IANA time zones grouped by region (`America/…`, `Europe/…`; UTC and the like under "Other"). */
export function timeZoneGroups(zones: readonly string[]): ListGroup[] {
  const byRegion = new Map<string, ListOption[]>();
  for (const zone of zones) {
    const slash = zone.indexOf('/');
    const region = slash > 0 ? zone.slice(0, slash) : 'Other';
    const list = byRegion.get(region) ?? [];
    list.push({ value: zone, label: zone.replaceAll('_', ' ') });
    byRegion.set(region, list);
  }
  const other = byRegion.get('Other');
  byRegion.delete('Other');
  const groups = [...byRegion.entries()].map(([label, options]) => ({ label, options }));
  return other ? [{ label: 'Other', options: other }, ...groups] : groups;
}
