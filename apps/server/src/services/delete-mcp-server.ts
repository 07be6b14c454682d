import { mcpServers } from '@switchboard/db';
import type { Role } from '@switchboard/shared';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { rewriteToolRefs } from '../mcp/rules.ts';
import { getMcpServer, type McpServerRow } from '../mcp/servers.ts';
import { lockOrganization } from '../sql.ts';

/** Deletes a server and removes its tools from every agent of the organization. */
export async function deleteMcpServer(
  deps: Pick<AppContext, 'db'>,
  input: { organizationId: string; role: Role; id: string },
): Promise<McpServerRow> {
  return deps.db.transaction(async (tx) => {
    await lockOrganization(tx, input.organizationId);
    const existing = await getMcpServer(tx, input);
    if (existing.transport === 'stdio' && input.role !== 'owner') {
      throw new AppError('forbidden', 'Only an owner may remove an MCP server that runs a local command.');
    }
    await tx.delete(mcpServers).where(eq(mcpServers.id, existing.id));
    await rewriteToolRefs(tx, input.organizationId, existing.name, null);
    return existing;
  });
}
