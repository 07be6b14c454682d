import { mcpServers } from '@switchboard/db';
import type { Role, UpdateMcpServer } from '@switchboard/shared';
import { eq } from 'drizzle-orm';
import { AppError, isUniqueViolation } from '../errors.ts';
import { assertMayRunCommands, type McpDeps, nameTaken, rewriteToolRefs } from '../mcp/rules.ts';
import { getMcpServer, type McpServerRow } from '../mcp/servers.ts';
import { lockOrganization } from '../sql.ts';

/** Applies a partial update; a rename rewrites the agents' `mcp:<old>:…` tool references. */
export async function updateMcpServer(
  deps: McpDeps,
  input: { organizationId: string; role: Role; id: string; patch: UpdateMcpServer },
): Promise<McpServerRow> {
  const { patch } = input;
  return deps.db
    .transaction(async (tx) => {
      await lockOrganization(tx, input.organizationId);
      const existing = await getMcpServer(tx, input);
      if (existing.transport === 'stdio') assertMayRunCommands(deps, input.role);
      if (existing.transport === 'http' && (patch.command !== undefined || patch.args !== undefined)) {
        throw new AppError('validation_failed', 'command and args apply to stdio servers only', {
          issues: [{ path: 'command', message: 'applies to stdio servers only' }],
        });
      }
      if (existing.transport === 'stdio' && (patch.url !== undefined || patch.headers !== undefined)) {
        throw new AppError('validation_failed', 'url and headers apply to http servers only', {
          issues: [{ path: 'url', message: 'applies to http servers only' }],
        });
      }
      const connectionChanged = ['url', 'headers', 'command', 'args'].some((k) => k in patch);
      const [row] = await tx
        .update(mcpServers)
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.url !== undefined ? { url: patch.url } : {}),
          ...(patch.command !== undefined ? { command: patch.command } : {}),
          ...(patch.args !== undefined ? { args: patch.args } : {}),
          ...(patch.headers !== undefined
            ? {
                headersCiphertext: Object.keys(patch.headers).length
                  ? deps.secrets.encrypt(JSON.stringify(patch.headers))
                  : null,
              }
            : {}),
          ...(connectionChanged ? { status: 'untested' as const, lastError: null } : {}),
          updatedAt: deps.clock(),
        })
        .where(eq(mcpServers.id, existing.id))
        .returning();
      if (patch.name && patch.name !== existing.name)
        await rewriteToolRefs(tx, input.organizationId, existing.name, patch.name);
      return row!;
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw nameTaken(patch.name ?? '');
      throw error;
    });
}
