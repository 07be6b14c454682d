import { describe, expect, it } from 'vitest';
import { growth, type HeapSnapshotJson, summarizeSnapshot } from './heap-summary.ts';

const meta = {
  node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
  node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure', 'native']],
};
const strings = ['CallSession', 'hello', 'system / JSArrayBufferData', '(object elements)'];

function snapshot(nodes: Array<[type: number, name: number, size: number]>): HeapSnapshotJson {
  return { snapshot: { meta }, nodes: nodes.flatMap(([t, n, s], id) => [t, n, id, s, 0]), strings };
}

describe('summarizeSnapshot', () => {
  it('sums objects by constructor, values by type, the rest by type and name', () => {
    const totals = summarizeSnapshot(
      snapshot([
        [3, 0, 100],
        [3, 0, 50],
        [2, 1, 24],
        [6, 2, 8192],
        [1, 3, 40],
      ]),
    );
    expect(totals.get('CallSession')).toEqual({ kind: 'CallSession', count: 2, bytes: 150 });
    expect(totals.get('(string)')).toEqual({ kind: '(string)', count: 1, bytes: 24 });
    expect(totals.get('(native) system / JSArrayBufferData')?.bytes).toBe(8192);
    expect(totals.get('(array) (object elements)')?.count).toBe(1);
  });
});

describe('growth', () => {
  it('lists what grew, largest first, without what shrank', () => {
    const before = summarizeSnapshot(
      snapshot([
        [3, 0, 100],
        [2, 1, 500],
      ]),
    );
    const after = summarizeSnapshot(
      snapshot([
        [3, 0, 100],
        [3, 0, 100],
        [6, 2, 8192],
        [2, 1, 10],
      ]),
    );
    expect(growth(before, after)).toEqual([
      { kind: '(native) system / JSArrayBufferData', count: 1, bytes: 8192 },
      { kind: 'CallSession', count: 1, bytes: 100 },
    ]);
  });
});
