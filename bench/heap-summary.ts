/**
 * Heap snapshots (V8's `.heapsnapshot` JSON) summed by kind of object, and the difference between
 * two of them: what N live calls keep (bench/call-memory.ts). Self sizes only (no retained sizes:
 * that needs the dominator tree); backing stores of ArrayBuffers appear as their own native nodes.
 */
import { readFileSync } from 'node:fs';

export interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: unknown[] } };
  nodes: number[];
  strings: string[];
}

export interface KindTotal {
  kind: string;
  count: number;
  bytes: number;
}

/** Node types whose name is the value itself (a string's text, a number), summed by type. */
const BY_TYPE = new Set([
  'string',
  'concatenated string',
  'sliced string',
  'number',
  'code',
  'closure',
  'regexp',
  'symbol',
  'bigint',
]);

/** Objects by constructor name, arrays and system objects by name, values by type. */
export function summarizeSnapshot(json: HeapSnapshotJson): Map<string, KindTotal> {
  const fields = json.snapshot.meta.node_fields;
  const typeNames = json.snapshot.meta.node_types[0] as string[];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const out = new Map<string, KindTotal>();
  for (let i = 0; i < json.nodes.length; i += width) {
    const type = typeNames[json.nodes[i + typeAt] as number] ?? '?';
    const name = json.strings[json.nodes[i + nameAt] as number] ?? '';
    const kind = BY_TYPE.has(type)
      ? `(${type})`
      : type === 'object'
        ? name
        : `(${type}) ${name.slice(0, 60)}`;
    const total = out.get(kind) ?? { kind, count: 0, bytes: 0 };
    total.count++;
    total.bytes += json.nodes[i + sizeAt] as number;
    out.set(kind, total);
  }
  return out;
}

export function summarizeSnapshotFile(path: string): Map<string, KindTotal> {
  return summarizeSnapshot(JSON.parse(readFileSync(path, 'utf8')) as HeapSnapshotJson);
}

/** `after − before` per kind, largest growth first (kinds that shrank are left out). */
export function growth(before: Map<string, KindTotal>, after: Map<string, KindTotal>): KindTotal[] {
  const rows: KindTotal[] = [];
  for (const [kind, a] of after) {
    const b = before.get(kind);
    const row = { kind, count: a.count - (b?.count ?? 0), bytes: a.bytes - (b?.bytes ?? 0) };
    if (row.bytes > 0) rows.push(row);
  }
  return rows.sort((x, y) => y.bytes - x.bytes);
}
