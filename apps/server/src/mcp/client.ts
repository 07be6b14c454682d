/**
 * Talking to one MCP server through the official SDK client: streamable HTTP (with the
 * server's stored headers), or a local command over stdio when MCP_ALLOW_STDIO allows it.
 * Every request has a deadline; HTTP answers larger than MAX_RESPONSE_BYTES are cut off at
 * the socket, so a misbehaving server cannot fill this process's memory.
 */
import type { McpTool } from '@switchboard/shared';
import { SERVER_VERSION } from '../version.ts';

/** Largest HTTP answer read from an MCP server (bytes). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Deadline for connecting and listing tools. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface McpEndpoint {
  transport: 'http' | 'stdio';
  url: string | null;
  headers: Record<string, string>;
  command: string | null;
  args: string[];
}

export class McpError extends Error {
  readonly reason: 'connect' | 'timeout' | 'too_large' | 'protocol' | 'tool_error';
  constructor(reason: McpError['reason'], message: string) {
    super(message);
    this.name = 'McpError';
    this.reason = reason;
  }
}

export interface McpConnection {
  listTools(signal?: AbortSignal): Promise<McpTool[]>;
  callTool(
    name: string,
    args: Record<string, unknown>,
    options: { signal?: AbortSignal; timeoutMs: number },
  ): Promise<{ isError: boolean; content: unknown[]; structuredContent?: unknown }>;
  close(): Promise<void>;
}

/** A fetch that fails a response once its body passes `limit` bytes. */
export function cappedFetch(limit: number): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.body) return response;
    let seen = 0;
    const capped = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > limit)
            controller.error(new McpError('too_large', `the answer is larger than ${limit} bytes`));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(capped, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

export async function connectMcp(endpoint: McpEndpoint, signal?: AbortSignal): Promise<McpConnection> {
  // Loaded on first use: the SDK is ~9 MiB of heap that a server without MCP servers never needs.
  const [{ Client }, { StdioClientTransport }, { StreamableHTTPClientTransport }] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/stdio.js'),
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
  ]);
  const client = new Client({ name: 'switchboard', version: SERVER_VERSION });
  // Transport failures (a malformed JSON-RPC answer) fail the request in flight at once.
  let failure: Error | null = null;
  const pending = new Set<(error: Error) => void>();
  client.onerror = (error) => {
    failure = error;
    for (const reject of pending) reject(error);
  };
  const transport =
    endpoint.transport === 'stdio'
      ? new StdioClientTransport({ command: endpoint.command ?? '', args: endpoint.args, stderr: 'ignore' })
      : new StreamableHTTPClientTransport(new URL(endpoint.url ?? ''), {
          requestInit: { headers: endpoint.headers },
          fetch: cappedFetch(MAX_RESPONSE_BYTES),
        });
  try {
    await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  } catch (error) {
    await client.close().catch(() => {});
    throw classify(error, 'connect');
  }
  const guarded = async <T>(work: Promise<T>): Promise<T> => {
    let reject: ((error: Error) => void) | undefined;
    const broken = new Promise<never>((_, r) => {
      reject = r;
      pending.add(r);
    });
    try {
      return await Promise.race([work, broken]);
    } catch (error) {
      throw classify(error, 'protocol');
    } finally {
      if (reject) pending.delete(reject);
      failure = null;
    }
  };
  return {
    listTools: async (listSignal) => {
      const tools: McpTool[] = [];
      let cursor: string | undefined;
      do {
        const page = await guarded(
          client.listTools(cursor ? { cursor } : {}, {
            timeout: CONNECT_TIMEOUT_MS,
            ...(listSignal ? { signal: listSignal } : {}),
          }),
        );
        for (const tool of page.tools) {
          tools.push({
            name: tool.name,
            description: (tool.description ?? tool.title ?? '').slice(0, 1000),
            inputSchema: tool.inputSchema as Record<string, unknown>,
          });
        }
        cursor = page.nextCursor;
      } while (cursor && tools.length < 500);
      return tools;
    },
    callTool: async (name, args, options) => {
      if (failure) throw classify(failure, 'protocol');
      const result = await guarded(
        client.callTool({ name, arguments: args }, undefined, {
          timeout: options.timeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      );
      return {
        isError: result.isError === true,
        content: Array.isArray(result.content) ? result.content : [],
        ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
      };
    },
    close: () => client.close().catch(() => {}),
  };
}

function classify(error: unknown, fallback: 'connect' | 'protocol'): McpError {
  if (error instanceof McpError) return error;
  const cause = (error as { cause?: unknown })?.cause;
  if (cause instanceof McpError) return cause;
  const message = error instanceof Error ? error.message : String(error);
  if (/too_large|larger than/i.test(message)) return new McpError('too_large', message);
  if ((error as { code?: number })?.code === -32001 || /timed out|timeout/i.test(message)) {
    return new McpError('timeout', 'the MCP server did not answer in time');
  }
  return new McpError(fallback, message.slice(0, 300));
}
