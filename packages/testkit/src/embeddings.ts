/**
 * A fake OpenAI-compatible embeddings endpoint (`POST /v1/embeddings`). Each text becomes a
 * normalised bag of hashed words, so texts that share words are near each other: enough to
 * test hybrid retrieval without a model. It can be slowed down or made to fail.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeEmbeddingsOptions {
  apiKey?: string;
  dimensions?: number;
  /** Delay before each answer (ms). */
  delayMs?: number;
}

export interface FakeEmbeddings {
  /** Base URL to use as OPENAI_BASE_URL (…/v1). */
  url: string;
  requests: Array<{ model: string; inputs: string[] }>;
  /** Answer every request with this HTTP status until cleared (null). */
  failWith: number | null;
  delayMs: number;
  close(): Promise<void>;
}

export function fakeEmbedding(text: string, dimensions = 64): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const stem = word.length > 3 ? word.replace(/(ies|es|s)$/, '') : word;
    vector[createHash('sha1').update(stem).digest().readUInt32BE(0) % dimensions]! += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

async function body(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export async function startFakeEmbeddings(options: FakeEmbeddingsOptions = {}): Promise<FakeEmbeddings> {
  const dimensions = options.dimensions ?? 64;
  const fake: Omit<FakeEmbeddings, 'url' | 'close'> = {
    requests: [],
    failWith: null,
    delayMs: options.delayMs ?? 0,
  };
  const server = createServer(async (req, res) => {
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    };
    const raw = await body(req);
    if (req.method !== 'POST' || req.url !== '/v1/embeddings')
      return send(404, { error: { message: 'not found' } });
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return send(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
    }
    if (fake.delayMs) await new Promise((resolve) => setTimeout(resolve, fake.delayMs));
    if (fake.failWith)
      return send(fake.failWith, { error: { message: 'The server had an error', type: 'server_error' } });
    const parsed = JSON.parse(raw) as { model: string; input: string | string[] };
    const inputs = Array.isArray(parsed.input) ? parsed.input : [parsed.input];
    fake.requests.push({ model: parsed.model, inputs });
    send(200, {
      object: 'list',
      model: parsed.model,
      data: inputs.map((text, index) => ({
        object: 'embedding',
        index,
        embedding: fakeEmbedding(text, dimensions),
      })),
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
