import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingBytes } from './range.ts';
import { LocalRecordingStore } from './store.ts';

const ref = {
  organizationId: '00000000-0000-4000-8000-000000000001',
  callId: '00000000-0000-4000-8000-0000000000aa',
};
let dir: string;
let store: LocalRecordingStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-store-'));
  store = new LocalRecordingStore(dir, pino({ level: 'silent' }));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('LocalRecordingStore', () => {
  it('streams the file and fixes the header sizes at the end', async () => {
    const writer = await store.create(ref, { sampleRate: 8000, channels: 2 });
    expect(writer.key).toBe(`${ref.organizationId}/${ref.callId}.wav`);
    writer.write(Buffer.alloc(4000, 1));
    writer.write(Buffer.alloc(4000, 2));
    writer.end();
    await writer.closed;
    const file = await readFile(join(dir, 'recordings', ref.organizationId, `${ref.callId}.wav`));
    expect(file.length).toBe(44 + 8000);
    expect(file.readUInt32LE(40)).toBe(8000);
    expect(file.readUInt32LE(4)).toBe(8036);
  });

  it('serves a file left by a crash (max-size header, a torn last frame) with a header from its length', async () => {
    const writer = await store.create(ref, { sampleRate: 8000, channels: 2 });
    writer.write(Buffer.alloc(1000, 7));
    // No end(): the process died. Wait for the buffered bytes to reach the file, then tear a frame.
    const path = join(dir, 'recordings', ref.organizationId, `${ref.callId}.wav`);
    let file = Buffer.alloc(0);
    while (file.length < 1044) {
      file = await readFile(path).catch(() => Buffer.alloc(0));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(file.readUInt32LE(40)).toBeGreaterThan(4e9);
    await writeFile(path, Buffer.concat([file, Buffer.from([9, 9])]));
    const stored = await store.open(ref);
    expect(stored).toMatchObject({ size: 1044, format: { sampleRate: 8000, channels: 2 } });
    expect(stored!.header.readUInt32LE(40)).toBe(1000);
    const all = await buffer(recordingBytes(stored!, 0, stored!.size - 1));
    expect(all.length).toBe(1044);
    expect(all.subarray(0, 44).equals(stored!.header)).toBe(true);
    expect(all.subarray(44).equals(Buffer.alloc(1000, 7))).toBe(true);
    writer.end();
    await writer.closed;
  });

  it('has nothing for an unknown call', async () => {
    expect(await store.open(ref)).toBeNull();
  });
});
