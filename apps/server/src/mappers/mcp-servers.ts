import type { McpServer } from '@switchboard/shared';
import type { McpServerRow } from '../mcp/servers.ts';
import { headersOf } from '../mcp/servers.ts';
import type { Secrets } from '../secrets.ts';
import { maskSecret } from './integrations.ts';
import { iso, isoOrNull } from './iso.ts';

/** The API shape of an MCP server: header values only masked. */
export function toMcpServerJson(row: McpServerRow, secrets: Secrets): McpServer {
  const headers = headersOf(row, secrets);
  return {
    id: row.id,
    name: row.name,
    transport: row.transport,
    url: row.url,
    command: row.command,
    args: row.args,
    headersMasked: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, maskSecret(k, v)])),
    status: row.status,
    lastError: row.lastError,
    tools: row.tools,
    toolsFetchedAt: isoOrNull(row.toolsFetchedAt),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
