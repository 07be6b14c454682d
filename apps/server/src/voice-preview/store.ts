/**
 * Voice previews on disk: `DATA_DIR/voice-previews/<provider>-<voice>.wav`, made once per voice
 * for the whole installation (the sample sentence names no business) and served from the file
 * afterwards. Concurrent requests for a voice being made share one generation; the file is
 * written under a temporary name and renamed, so a reader never sees half a file.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Provider } from '@switchboard/shared';

export interface StoredPreview {
  bytes: Buffer;
  etag: string;
}

export class VoicePreviewStore {
  readonly dir: string;
  #pending = new Map<string, Promise<StoredPreview>>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'voice-previews');
  }

  /** The cached preview, or undefined when none was made yet. */
  async read(provider: Provider, voice: string): Promise<StoredPreview | undefined> {
    const path = this.#path(provider, voice);
    try {
      const [bytes, info] = await Promise.all([readFile(path), stat(path)]);
      return { bytes, etag: `"${provider}-${voice}-${info.size}-${Math.floor(info.mtimeMs)}"` };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * The cached preview, else the one `make` produces (stored first). While a voice is being
   * made, other callers wait for the same promise instead of starting their own.
   */
  async getOrCreate(provider: Provider, voice: string, make: () => Promise<Buffer>): Promise<StoredPreview> {
    const cached = await this.read(provider, voice);
    if (cached) return cached;
    const key = `${provider}-${voice}`;
    const running = this.#pending.get(key);
    if (running) return running;
    const job = (async () => {
      const bytes = await make();
      await mkdir(this.dir, { recursive: true });
      const path = this.#path(provider, voice);
      const tmp = `${path}.${randomUUID()}.tmp`;
      try {
        await writeFile(tmp, bytes);
        await rename(tmp, path);
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
      return (await this.read(provider, voice))!;
    })().finally(() => this.#pending.delete(key));
    this.#pending.set(key, job);
    return job;
  }

  // Voices come from the provider's fixed list (checked by the route), so the name is safe.
  #path(provider: Provider, voice: string): string {
    return join(this.dir, `${provider}-${voice}.wav`);
  }
}
