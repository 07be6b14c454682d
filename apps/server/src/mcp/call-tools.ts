/**
 * The MCP tools of one call. An agent lists `mcp:<server>:<tool>`; for its call each becomes a
 * call-scoped tool (ToolRegistry.useCallTools) named `mcp__<server>__<tool>` for the model,
 * declared with the schema stored at the server's last discovery (so a call never waits on
 * discovery). The call opens at most one connection per server, on first use, and closes it
 * when the call ends (`signal`) or after it sat unused for CONNECTION_IDLE_MS. Results are cut to MAX_RESULT_CHARS; failures reach the model as structured
 * errors and every run lands on the call's timeline like any tool.
 */
import { type DbOrTx, mcpServers } from '@switchboard/db';
import { mcpFunctionName, parseMcpToolRef } from '@switchboard/shared';
import { type ToolDefinition, ToolFailure } from '@switchboard/voice';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Logger } from '../context.ts';
import type { Secrets } from '../secrets.ts';
import type { CallToolContext } from '../tools/context.ts';
import { connectMcp, type McpConnection, McpError } from './client.ts';
import { endpointOf, type McpServerRow } from './servers.ts';

/** Longest one MCP tool call may take (the registry's deadline is a little longer). */
export const MCP_CALL_TIMEOUT_MS = 15_000;
/** Most characters of a tool result given to the model. */
export const MAX_RESULT_CHARS = 8_000;
/** An MCP connection unused this long is closed (the next tool call reconnects). */
export const CONNECTION_IDLE_MS = 60_000;

type CallTool = ToolDefinition<z.ZodType, CallToolContext>;

export interface CallMcpTools {
  /** The agent's tools with MCP references replaced by the model's function names. */
  enabledTools: string[];
  callTools: Map<string, CallTool>;
}

export async function mcpToolsForCall(
  deps: { db: DbOrTx; secrets: Secrets; log: Logger },
  input: { organizationId: string; tools: readonly string[]; signal?: AbortSignal | undefined },
): Promise<CallMcpTools> {
  const refs = input.tools.map((ref) => ({ ref, parsed: parseMcpToolRef(ref) }));
  const names = [...new Set(refs.flatMap((r) => (r.parsed ? [r.parsed.server] : [])))];
  const callTools = new Map<string, CallTool>();
  if (names.length === 0) return { enabledTools: [...input.tools], callTools };
  const servers = await deps.db
    .select()
    .from(mcpServers)
    .where(and(eq(mcpServers.organizationId, input.organizationId), inArray(mcpServers.name, names)));
  const pool = new ConnectionPool(deps.secrets, input.signal);
  const enabledTools: string[] = [];
  for (const { ref, parsed } of refs) {
    if (!parsed) {
      enabledTools.push(ref);
      continue;
    }
    const server = servers.find((s) => s.name === parsed.server);
    const tool = server?.tools.find((t) => t.name === parsed.tool);
    if (!server || !tool) {
      deps.log.warn({ ref }, 'agent enables an MCP tool that is not available; it is left out of the call');
      continue;
    }
    const name = mcpFunctionName(server.name, tool.name);
    enabledTools.push(name);
    callTools.set(name, {
      name,
      description: `${tool.description || tool.name} (via ${server.name})`.slice(0, 1024),
      parameters: z.record(z.string(), z.unknown()),
      jsonSchema: objectSchema(tool.inputSchema),
      timeoutMs: MCP_CALL_TIMEOUT_MS + 1_000,
      handler: (args, ctx) =>
        runMcpTool(pool, server, tool.name, args as Record<string, unknown>, ctx.signal),
    });
  }
  return { enabledTools, callTools };
}

async function runMcpTool(
  pool: ConnectionPool,
  server: McpServerRow,
  tool: string,
  args: Record<string, unknown>,
  signal: AbortSignal,
) {
  try {
    const connection = await pool.get(server);
    const result = await connection.callTool(tool, args, { signal, timeoutMs: MCP_CALL_TIMEOUT_MS });
    const text = textOf(result.content);
    if (result.isError) {
      throw new ToolFailure(`${server.name} reported an error: ${text.slice(0, 500) || 'no details'}`, {
        server: server.name,
        tool,
      });
    }
    const structured =
      result.structuredContent === undefined ? undefined : JSON.stringify(result.structuredContent);
    const truncated = text.length > MAX_RESULT_CHARS;
    return {
      server: server.name,
      tool,
      content: truncated ? `${text.slice(0, MAX_RESULT_CHARS)}…` : text,
      ...(structured && structured.length <= MAX_RESULT_CHARS
        ? { structured: result.structuredContent }
        : {}),
      ...(truncated ? { truncated: true, fullLength: text.length } : {}),
    };
  } catch (error) {
    if (error instanceof ToolFailure) throw error;
    const reason = error instanceof McpError ? error.reason : 'protocol';
    pool.drop(server.id); // a broken connection is not reused
    const messages: Record<string, string> = {
      connect: `Could not reach ${server.name}.`,
      timeout: `${server.name} did not answer in time.`,
      too_large: `${server.name} sent a result too large to use.`,
      protocol: `${server.name} sent an answer that could not be understood.`,
      tool_error: `${server.name} reported an error.`,
    };
    throw new ToolFailure(messages[reason] ?? messages.protocol!, { server: server.name, tool, reason });
  }
}

/** Text of an MCP result: its text parts, other parts named by type. */
function textOf(content: unknown[]): string {
  return content
    .map((part) => {
      const p = part as { type?: string; text?: string };
      return p.type === 'text' && typeof p.text === 'string' ? p.text : `[${p.type ?? 'content'}]`;
    })
    .join('\n');
}

/** Model APIs want an object schema; MCP requires one but a server may send less. */
function objectSchema(schema: Record<string, unknown>): Record<string, unknown> {
  return schema.type === 'object' ? schema : { type: 'object', properties: {} };
}

/** One connection per server for the call, opened on first use, closed when idle or when the call ends. */
class ConnectionPool {
  #open = new Map<string, { connection: Promise<McpConnection>; idle?: ReturnType<typeof setTimeout> }>();
  #secrets: Secrets;

  constructor(secrets: Secrets, callEnded: AbortSignal | undefined) {
    this.#secrets = secrets;
    callEnded?.addEventListener('abort', () => this.closeAll(), { once: true });
  }

  get(server: McpServerRow): Promise<McpConnection> {
    let entry = this.#open.get(server.id);
    if (!entry) {
      const connection = connectMcp(endpointOf(server, this.#secrets));
      connection.catch(() => this.#open.delete(server.id));
      entry = { connection };
      this.#open.set(server.id, entry);
    }
    clearTimeout(entry.idle);
    entry.idle = setTimeout(() => this.drop(server.id), CONNECTION_IDLE_MS);
    entry.idle.unref();
    return entry.connection;
  }

  drop(serverId: string): void {
    const entry = this.#open.get(serverId);
    this.#open.delete(serverId);
    clearTimeout(entry?.idle);
    void entry?.connection.then((c) => c.close()).catch(() => {});
  }

  closeAll(): void {
    for (const id of [...this.#open.keys()]) this.drop(id);
  }
}
