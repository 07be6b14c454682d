import { mcpServers } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { connectMcp } from '../mcp/client.ts';
import { endpointOf, type McpServerRow } from '../mcp/servers.ts';

/**
 * Connects to the server and stores the tools it offers (names, descriptions, argument
 * schemas) with status `ok`; a failure is stored as status `error` with the reason. Calls
 * read the stored tools, so they never wait for discovery.
 */
export async function discoverMcpTools(
  deps: Pick<AppContext, 'db' | 'secrets' | 'clock' | 'log'>,
  row: McpServerRow,
): Promise<McpServerRow> {
  let patch: Partial<McpServerRow>;
  try {
    const connection = await connectMcp(endpointOf(row, deps.secrets));
    try {
      const tools = await connection.listTools();
      patch = { status: 'ok', lastError: null, tools, toolsFetchedAt: deps.clock() };
    } finally {
      await connection.close();
    }
  } catch (error) {
    deps.log.info({ mcpServer: row.name, err: error }, 'MCP server discovery failed');
    patch = { status: 'error', lastError: `Could not list tools: ${(error as Error).message}`.slice(0, 500) };
  }
  const [updated] = await deps.db
    .update(mcpServers)
    .set({ ...patch, updatedAt: deps.clock() })
    .where(eq(mcpServers.id, row.id))
    .returning();
  return updated ?? row;
}
