import {
  type BusinessProfile,
  type CountryCode,
  IMPORT_FIELDS,
  type ImportField,
  type ImportResult,
  PROSPECT_STATUSES,
} from '@switchboard/shared';
import Papa from 'papaparse';
import { type ChangeEvent, type RefObject, useId, useMemo, useRef, useState } from 'react';
import { Link, Navigate } from 'react-router';
import { useAuth } from '../auth.tsx';
import { SelectField, TextField } from '../components/form.tsx';
import {
  DryRunSummary,
  duplicateText,
  importInBatches,
  SampleCsvLink,
  useDryRun,
} from '../components/import-checks.tsx';
import { ActionError, PageHeader, Table } from '../components/page.tsx';
import {
  applyMapping,
  type ColumnMapping,
  guessMapping,
  IMPORT_FIELD_LABELS,
  importErrorIndex,
  missingRequired,
  rowProblem,
} from '../lib/csv-mapping.ts';
import { formatNumber } from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';

const PREVIEW_ROWS = 10;

interface Parsed {
  fileName: string;
  headers: string[];
  records: Record<string, string>[];
  warnings: string[];
}

function parseFile(file: File): Promise<Parsed> {
  return new Promise((resolve, reject) => {
    Papa.parse<Record<string, string>>(file, {
      header: true,
      skipEmptyLines: 'greedy',
      transformHeader: (h) => h.trim(),
      complete: (result) => {
        const headers = (result.meta.fields ?? []).filter((h) => h !== '');
        const warnings = result.errors
          .slice(0, 5)
          .map((e) => (e.row != null ? `Line ${e.row + 2}: ${e.message}` : e.message));
        resolve({ fileName: file.name, headers, records: result.data, warnings });
      },
      error: (err) => reject(err),
    });
  });
}

export default function ProspectImport() {
  const { canEdit } = useAuth();
  const fileId = useId();
  const [parsed, setParsed] = useState<Parsed | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [onDuplicate, setOnDuplicate] = useState<'skip' | 'update'>('skip');
  const [source, setSource] = useState('csv');
  const [skipInvalid, setSkipInvalid] = useState(true);
  const skipId = useId();
  const [progress, setProgress] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);

  const rows = useMemo(
    () => (parsed ? applyMapping(parsed.records, mapping, PROSPECT_STATUSES) : []),
    [parsed, mapping],
  );
  const missing = missingRequired(mapping);
  // Local numbers are read in the business's country, as the server will.
  const country = (useApi<BusinessProfile>('/api/organization').data?.defaultCountry ?? 'US') as CountryCode;
  const flagged = useMemo(() => rows.filter((r) => rowProblem(r, country) !== null).length, [rows, country]);
  const { dryRun, checking, error: dryRunError } = useDryRun(missing.length ? [] : rows, onDuplicate, source);

  if (!canEdit) return <Navigate to="/prospects" replace />;

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    setResult(null);
    setError(null);
    setParseError(null);
    if (!file) return;
    try {
      const p = await parseFile(file);
      if (p.headers.length === 0 || p.records.length === 0) {
        setParsed(null);
        setParseError(
          'That file has no rows. The first line must name the columns, e.g. company,contact,phone.',
        );
        return;
      }
      setParsed(p);
      setMapping(guessMapping(p.headers));
    } catch (err) {
      setParsed(null);
      setParseError(`Could not read that file: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async function runImport() {
    if (!parsed) return;
    setError(null);
    setResult(null);
    if (!skipInvalid && dryRun?.errors.length) {
      // Nothing is imported: the report lists the rows to fix.
      setResult({ created: 0, updated: 0, skipped: 0, errors: dryRun.errors });
      setError(
        new Error(
          `Nothing was imported: ${new Set(dryRun.errors.map((e) => e.row)).size} rows have problems. Fix them, or turn on “Skip invalid rows”.`,
        ),
      );
      return;
    }
    try {
      const { duplicates: _, ...total } = await importInBatches(rows, {
        onDuplicate,
        source,
        onBatch: (first, last) => setProgress(`Importing rows ${first}–${last} of ${rows.length}…`),
      });
      setResult(total);
      requestAnimationFrame(() => resultRef.current?.focus());
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  }

  const fieldOptions = [
    { value: '', label: 'Ignore this column' },
    ...IMPORT_FIELDS.map((f) => ({ value: f, label: IMPORT_FIELD_LABELS[f] })),
  ];
  const mappedFields = IMPORT_FIELDS.filter((f) => Object.values(mapping).includes(f));

  return (
    <>
      <PageHeader
        title="Import prospects"
        back={<Link to="/prospects">← Prospects</Link>}
        description="Upload a CSV file, check how its columns map to prospect fields, then import. Each row is checked on its own; rows with problems are listed afterwards and the rest are imported."
      />
      <section className="card" aria-labelledby="step-file">
        <h2 id="step-file">1. Choose a CSV file</h2>
        <div className="field">
          <label htmlFor={fileId}>CSV file</label>
          <input
            id={fileId}
            type="file"
            accept=".csv,text/csv"
            onChange={onFile}
            aria-describedby={`${fileId}-hint`}
          />
          <p id={`${fileId}-hint`} className="field__hint">
            The first line names the columns. Common headers such as Company, Name, First name, Phone, Mobile,
            Email, Time zone, Status and Notes are recognised. Phone numbers need their country code unless
            they are local to your business's country.
          </p>
        </div>
        <p>
          <SampleCsvLink />
        </p>
        {parseError ? (
          <p className="alert alert--error" role="alert">
            {parseError}
          </p>
        ) : null}
        {parsed ? (
          <p role="status">
            <strong>{parsed.fileName}</strong>: {formatNumber(parsed.records.length)} rows,{' '}
            {parsed.headers.length} columns.
          </p>
        ) : null}
        {parsed?.warnings.length ? (
          <ul className="alert alert--warn">
            {parsed.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        ) : null}
      </section>

      {parsed ? (
        <>
          <section className="card" aria-labelledby="step-map">
            <h2 id="step-map">2. Map columns</h2>
            <div className="mapping">
              {parsed.headers.map((h) => (
                <SelectField
                  key={h}
                  label={`Column “${h}”`}
                  value={mapping[h] ?? ''}
                  onChange={(v) => setMapping((m) => ({ ...m, [h]: v as ImportField | '' }))}
                  options={fieldOptions}
                  hint={parsed.records[0]?.[h] ? `e.g. ${parsed.records[0][h]}` : undefined}
                />
              ))}
            </div>
            {missing.length ? (
              <p className="alert alert--error" role="alert">
                Choose which column holds the phone number: every prospect needs one.
              </p>
            ) : null}
            <div className="form-grid">
              <SelectField
                label="When a phone number already exists"
                value={onDuplicate}
                onChange={(v) => setOnDuplicate(v === 'update' ? 'update' : 'skip')}
                options={[
                  { value: 'skip', label: 'Skip the row' },
                  { value: 'update', label: 'Update the existing prospect' },
                ]}
              />
              <TextField
                label="Source label"
                value={source}
                onChange={setSource}
                hint="Stored on each prospect, e.g. trade-show-2025"
              />
            </div>
            <div className="check">
              <input
                id={skipId}
                type="checkbox"
                checked={skipInvalid}
                onChange={(e) => setSkipInvalid(e.target.checked)}
              />
              <label htmlFor={skipId}>
                Skip invalid rows: import the valid ones and list the others with their row number and reason
              </label>
            </div>
          </section>

          <section className="card" aria-labelledby="step-preview">
            <h2 id="step-preview">3. Preview</h2>
            <p className="muted">
              First {Math.min(PREVIEW_ROWS, rows.length)} of {formatNumber(rows.length)} rows as they will be
              sent.
              {flagged > 0
                ? ` ${formatNumber(flagged)} of them look${flagged === 1 ? 's' : ''} wrong and will probably be rejected${skipInvalid ? '; the others are imported anyway' : ''}.`
                : ''}
            </p>
            <DryRunSummary dryRun={dryRun} checking={checking} onDuplicate={onDuplicate} />
            <ActionError error={dryRunError} />
            <Table
              dense
              head={
                <>
                  <th scope="col">Row</th>
                  {mappedFields.map((f) => (
                    <th key={f} scope="col">
                      {IMPORT_FIELD_LABELS[f]}
                    </th>
                  ))}
                  <th scope="col">Check</th>
                </>
              }
            >
              {rows.slice(0, PREVIEW_ROWS).map((r, i) => {
                const duplicate = dryRun?.duplicates.get(i + 1);
                const problem =
                  rowProblem(r, country) ?? (duplicate ? duplicateText(duplicate, onDuplicate) : null);
                const tone =
                  duplicate && !rowProblem(r, country)
                    ? 'row--duplicate'
                    : problem
                      ? 'row--problem'
                      : undefined;
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no identity beyond their position.
                  <tr key={i} className={tone}>
                    <td>{i + 1}</td>
                    {mappedFields.map((f) => (
                      <td key={f}>{r[f] ?? <span className="muted">—</span>}</td>
                    ))}
                    <td>{problem ?? 'Looks fine'}</td>
                  </tr>
                );
              })}
            </Table>
            <ActionError error={error} />
            <div className="form-actions">
              {progress ? (
                <span role="status" className="muted">
                  {progress}
                </span>
              ) : null}
              <button
                type="button"
                className="btn btn--primary"
                disabled={missing.length > 0 || !!progress || rows.length === 0}
                onClick={runImport}
              >
                {progress ? 'Importing…' : `Import ${formatNumber(rows.length)} rows`}
              </button>
            </div>
          </section>
        </>
      ) : null}

      {result ? <ImportSummary result={result} rows={rows} headingRef={resultRef} /> : null}
    </>
  );
}

function ImportSummary({
  result,
  rows,
  headingRef,
}: {
  result: ImportResult;
  rows: Record<string, string>[];
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  return (
    <section className="card" aria-labelledby="step-result">
      <h2 id="step-result" ref={headingRef} tabIndex={-1}>
        {result.created + result.updated + result.skipped === 0 && result.errors.length
          ? 'Nothing imported'
          : 'Import finished'}
      </h2>
      <dl className="stats stats--compact" aria-live="polite">
        <div className="stat">
          <dt>Created</dt>
          <dd className="stat__value">{formatNumber(result.created)}</dd>
        </div>
        <div className="stat">
          <dt>Updated</dt>
          <dd className="stat__value">{formatNumber(result.updated)}</dd>
        </div>
        <div className="stat">
          <dt>Skipped</dt>
          <dd className="stat__value">{formatNumber(result.skipped)}</dd>
        </div>
        <div className="stat">
          <dt>Rows with errors</dt>
          <dd className="stat__value">{formatNumber(new Set(result.errors.map((e) => e.row)).size)}</dd>
        </div>
      </dl>
      {result.errors.length ? (
        <>
          <h3>Skipped rows (not imported)</h3>
          <Table
            dense
            head={
              <>
                <th scope="col">Row</th>
                <th scope="col">Field</th>
                <th scope="col">Reason</th>
                <th scope="col">Values sent</th>
              </>
            }
          >
            {result.errors.map((e, i) => {
              const row = rows[importErrorIndex(e.row)];
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: one row may have several errors.
                <tr key={`${e.row}-${i}`} className="row--problem">
                  <td>{e.row}</td>
                  <td>{e.field ?? '—'}</td>
                  <td>{e.message}</td>
                  <td className="muted small">{row ? Object.values(row).join(' · ') : '—'}</td>
                </tr>
              );
            })}
          </Table>
        </>
      ) : (
        <p>Every row was imported.</p>
      )}
      <p>
        <Link to="/prospects">View prospects</Link>
      </p>
    </section>
  );
}
