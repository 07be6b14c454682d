import { useId } from 'react';

export interface Bar {
  label: string;
  value: number;
  /** Long label for tooltips and the screen-reader table. */
  title?: string;
}

/** "Nice" axis maximum: 1, 2 or 5 × 10^n at or above `max`. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * exp >= max) return m * exp;
  return 10 * exp;
}

/**
 * A small responsive SVG bar chart (no chart library). The SVG is decorative for assistive
 * technology; the same numbers are in a visually hidden table.
 */
export function BarChart({
  bars,
  caption,
  format = (v) => String(v),
  refLines = [],
  height = 180,
  width = 640,
}: {
  bars: readonly Bar[];
  caption: string;
  format?: (value: number) => string;
  refLines?: readonly { value: number; label: string }[];
  height?: number;
  /** Drawing width in SVG units: the chart scales to its box, so use less for narrow boxes. */
  width?: number;
}) {
  const id = useId();
  const pad = { top: 12, right: 12, bottom: 28, left: 44 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const top = niceMax(Math.max(0, ...bars.map((b) => b.value), ...refLines.map((r) => r.value)));
  const y = (v: number) => pad.top + innerH - (v / top) * innerH;
  const slot = innerW / Math.max(1, bars.length);
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  const labelEvery = Math.ceil(bars.length / Math.max(2, Math.floor(width / 90)));
  const ticks = [0, top / 2, top];

  return (
    <figure className="chart" aria-labelledby={`${id}-cap`}>
      <svg viewBox={`0 0 ${width} ${height}`} aria-hidden="true" focusable="false">
        {ticks.map((t) => (
          <g key={t}>
            <line className="chart__grid" x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} />
            <text className="chart__axis" x={pad.left - 6} y={y(t) + 4} textAnchor="end">
              {format(t)}
            </text>
          </g>
        ))}
        {bars.map((b, i) => {
          const x = pad.left + i * slot + (slot - barW) / 2;
          const h = Math.max(b.value > 0 ? 1 : 0, pad.top + innerH - y(b.value));
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: bars are positional; labels may repeat.
            <g key={i}>
              <rect className="chart__bar" x={x} y={pad.top + innerH - h} width={barW} height={h} rx={2}>
                <title>{`${b.title ?? b.label}: ${format(b.value)}`}</title>
              </rect>
              {i % labelEvery === 0 ? (
                <text className="chart__axis" x={x + barW / 2} y={height - 8} textAnchor="middle">
                  {b.label}
                </text>
              ) : null}
            </g>
          );
        })}
        {refLines.map((r) => (
          <g key={r.label}>
            <line
              className="chart__ref"
              x1={pad.left}
              x2={width - pad.right}
              y1={y(r.value)}
              y2={y(r.value)}
            />
            <text className="chart__ref-label" x={width - pad.right - 4} y={y(r.value) - 4} textAnchor="end">
              {`${r.label} ${format(r.value)}`}
            </text>
          </g>
        ))}
      </svg>
      <figcaption id={`${id}-cap`} className="chart__caption">
        {caption}
      </figcaption>
      {/* A table ignores a 1px width, so the wrapper is what hides it. */}
      <div className="visually-hidden">
        <table>
          <caption>{caption}</caption>
          <tbody>
            {bars.map((b, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: bars are positional; labels may repeat.
              <tr key={i}>
                <th scope="row">{b.title ?? b.label}</th>
                <td>{format(b.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
