/**
 * Preloaded into the server by bench/call-memory.ts only (`--expose-gc --import`, never by the
 * bench or production): on `{ memoryProbe }` over the IPC channel, the server's thread collects
 * all garbage (two full GCs), reads `process.memoryUsage()` and, when asked, writes a heap
 * snapshot. Diagnostics only: nothing else runs in the measured process.
 */

import { writeHeapSnapshot } from 'node:v8';
import { isMainThread } from 'node:worker_threads';

interface ProbeRequest {
  memoryProbe: number;
  /** Write a heap snapshot here after the reading. */
  snapshotPath?: string;
}

if (isMainThread && process.send) {
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (raw: unknown) => {
    const req = raw as ProbeRequest;
    if (typeof req?.memoryProbe !== 'number') return;
    if (!gc) throw new Error('memory-probe needs --expose-gc');
    gc();
    gc();
    const usage = process.memoryUsage();
    if (req.snapshotPath) writeHeapSnapshot(req.snapshotPath);
    process.send?.({ memoryProbe: req.memoryProbe, usage });
  });
  // The channel must not keep the server alive at shutdown (it exits once its handles close).
  process.channel?.unref();
}
