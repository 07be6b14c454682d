/** Helpers for knowledge-base tests: multipart uploads through the real app, and waiting for processing. */
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './test-app.ts';

export function multipartBody(
  file: { filename: string; content: Buffer; contentType?: string },
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----switchboard${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export async function uploadFile(
  t: TestApp,
  token: string,
  agentId: string,
  file: { filename: string; content: Buffer; contentType?: string },
  fields: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const { payload, headers } = multipartBody(file, fields);
  return t.app.inject({
    method: 'POST',
    url: `/api/agents/${agentId}/knowledge`,
    headers: { ...headers, authorization: `Bearer ${token}` },
    payload,
  });
}

/**
 * Lists the agent's documents once none is `processing` any more (the test app must run its
 * job workers: `buildTestApp(kind, { jobs: true })`).
 */
export async function processedKnowledge(t: TestApp, token: string, agentId: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = (await t.as(token).get(`/api/agents/${agentId}/knowledge`)).json();
    if (!list.items.some((d: { status: string }) => d.status === 'processing')) return list;
    if (Date.now() > deadline) throw new Error('knowledge documents still processing');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
