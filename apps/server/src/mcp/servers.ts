/** Reading MCP server rows: scoped by organization, with their headers decrypted only for connecting. */
import { type DbOrTx, mcpServers } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { notFound } from '../errors.ts';
import type { Secrets } from '../secrets.ts';
import type { McpEndpoint } from './client.ts';

export type McpServerRow = typeof mcpServers.$inferSelect;

export async function getMcpServer(
  db: DbOrTx,
  input: { organizationId: string; id: string },
): Promise<McpServerRow> {
  const [row] = await db
    .select()
    .from(mcpServers)
    .where(and(eq(mcpServers.organizationId, input.organizationId), eq(mcpServers.id, input.id)))
    .limit(1);
  if (!row) throw notFound('MCP server');
  return row;
}

/** The stored headers; an undecryptable value (APP_SECRET changed) reads as none. */
export function headersOf(
  row: Pick<McpServerRow, 'headersCiphertext'>,
  secrets: Secrets,
): Record<string, string> {
  if (!row.headersCiphertext) return {};
  try {
    return JSON.parse(secrets.decrypt(row.headersCiphertext)) as Record<string, string>;
  } catch {
    return {};
  }
}

export function endpointOf(row: McpServerRow, secrets: Secrets): McpEndpoint {
  return {
    transport: row.transport,
    url: row.url,
    headers: headersOf(row, secrets),
    command: row.command,
    args: row.args,
  };
}
