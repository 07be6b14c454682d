/**
 * Call recordings stored by the server, as files under `DATA_DIR/recordings/<organizationId>/`
 * named `<callId>.wav` (recordings/store.ts writes them while the call goes, for agents with
 * `recording: "on"`). Erase and retention remove them here, in one place (and clear the call's
 * `recording_key`).
 * Recordings kept by Twilio are only linked (calls.recordingUrl): clearing the link is the
 * caller's job, deleting them at Twilio is not done by the server.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export function recordingsDir(dataDir: string, organizationId: string): string {
  return join(dataDir, 'recordings', organizationId);
}

/** The recording files of these calls (full paths). */
async function filesOf(
  dataDir: string,
  organizationId: string,
  callIds: readonly string[],
): Promise<string[]> {
  if (callIds.length === 0) return [];
  const dir = recordingsDir(dataDir, organizationId);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const wanted = new Set(callIds);
  return names.filter((name) => wanted.has(name.split('.')[0] ?? '')).map((name) => join(dir, name));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The calls that have a recording file stored for them. */
export async function recordedCallIds(dataDir: string, organizationId: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(recordingsDir(dataDir, organizationId));
  } catch {
    return [];
  }
  return [...new Set(names.map((name) => name.split('.')[0] ?? ''))].filter((id) => UUID.test(id));
}

/** Deletes the recording files of these calls; returns how many files were removed. */
export async function deleteRecordingFiles(
  dataDir: string,
  organizationId: string,
  callIds: readonly string[],
): Promise<number> {
  const files = await filesOf(dataDir, organizationId, callIds);
  await Promise.all(files.map((file) => rm(file, { force: true })));
  return files.length;
}
