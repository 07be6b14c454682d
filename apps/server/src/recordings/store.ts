/**
 * Where the server's call recordings live (docs/post-call.md#recording). One interface, so an
 * S3-compatible store can follow; today a local disk under `DATA_DIR/recordings/<org>/<call>.wav`
 * (the layout privacy/recording-files.ts deletes from on erase and retention).
 *
 * A recording is streamed as the call goes: the WAV header goes first with the largest sizes,
 * the audio through a buffered write stream (the media path never waits for the disk), and the
 * header is rewritten with the real sizes when the call ends. A process killed mid-call leaves
 * the audio written so far behind its max-size header; readers serve it with a header computed
 * from the file's length (`openRecording`), so nothing needs repairing by hand.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  type RecordingSink,
  readWavFormat,
  WAV_HEADER_BYTES,
  type WavFormat,
  wavHeader,
} from '@switchboard/voice';
import type { Logger } from '../context.ts';
import { recordingsDir } from '../privacy/recording-files.ts';

export interface RecordingRef {
  organizationId: string;
  callId: string;
}

/** A recording being written: a sink for the call's recorder, and `closed` once the file is final. */
export interface RecordingWriter extends RecordingSink {
  /** The store's key of this recording (kept on the call row). */
  readonly key: string;
  /** Resolves when the file is complete (header fixed) or failed (logged). */
  readonly closed: Promise<void>;
}

export interface StoredRecording {
  format: WavFormat;
  /** Total bytes including the (repaired) header. */
  size: number;
  /** The correct 44-byte header for this file. */
  header: Buffer;
  /** The audio bytes [start, end] inclusive, offsets in the whole file (≥ the header's length). */
  body(start: number, end: number): Readable;
}

export interface RecordingStore {
  create(ref: RecordingRef, format: WavFormat): Promise<RecordingWriter>;
  /** The recording of this call in this organization, or null. */
  open(ref: RecordingRef): Promise<StoredRecording | null>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class LocalRecordingStore implements RecordingStore {
  #dataDir: string;
  #log: Logger;

  constructor(dataDir: string, log: Logger) {
    this.#dataDir = dataDir;
    this.#log = log;
  }

  #path(ref: RecordingRef): string {
    if (!UUID.test(ref.organizationId) || !UUID.test(ref.callId)) throw new Error('bad recording reference');
    return join(recordingsDir(this.#dataDir, ref.organizationId), `${ref.callId}.wav`);
  }

  async create(ref: RecordingRef, format: WavFormat): Promise<RecordingWriter> {
    const path = this.#path(ref);
    await mkdir(recordingsDir(this.#dataDir, ref.organizationId), { recursive: true });
    const stream = createWriteStream(path, { flags: 'w', mode: 0o600, highWaterMark: 256 * 1024 });
    const log = this.#log;
    let bytes = 0;
    let failed = false;
    stream.on('error', (err) => {
      if (!failed) log.error({ err, callId: ref.callId }, 'recording write failed');
      failed = true;
    });
    stream.write(wavHeader(format));
    let resolveClosed!: () => void;
    const closed = new Promise<void>((resolve) => {
      resolveClosed = resolve;
    });
    return {
      key: `${ref.organizationId}/${ref.callId}.wav`,
      closed,
      write(chunk) {
        if (failed || stream.writableEnded) return;
        bytes += chunk.length;
        stream.write(chunk); // buffered: never awaited on the media path
      },
      end() {
        if (stream.writableEnded) return;
        stream.end(() => {
          void fixHeader(path, wavHeader(format, bytes))
            .catch((err) => log.error({ err, callId: ref.callId }, 'recording header not fixed'))
            .finally(resolveClosed);
        });
        stream.once('error', () => resolveClosed());
      },
    };
  }

  async open(ref: RecordingRef): Promise<StoredRecording | null> {
    const path = this.#path(ref);
    let size: number;
    let first: Buffer;
    try {
      size = (await stat(path)).size;
      const handle = await open(path, 'r');
      try {
        first = Buffer.alloc(WAV_HEADER_BYTES);
        await handle.read(first, 0, WAV_HEADER_BYTES, 0);
      } finally {
        await handle.close();
      }
    } catch {
      return null;
    }
    const format = readWavFormat(first);
    if (!format) return null;
    // Whole frames only; a file cut by a crash may end mid-frame.
    const data = Math.max(0, size - WAV_HEADER_BYTES);
    const whole = data - (data % (format.channels * 2));
    return {
      format,
      size: WAV_HEADER_BYTES + whole,
      header: wavHeader(format, whole),
      body: (start, end) => createReadStream(path, { start, end }),
    };
  }
}

async function fixHeader(path: string, header: Buffer): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.write(header, 0, header.length, 0);
  } finally {
    await handle.close();
  }
}
