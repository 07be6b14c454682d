import { mcpServers } from '@switchboard/db';
import type { CreateMcpServer, Role } from '@switchboard/shared';
import { isUniqueViolation } from '../errors.ts';
import { assertMayRunCommands, type McpDeps, nameTaken } from '../mcp/rules.ts';
import type { McpServerRow } from '../mcp/servers.ts';

export async function createMcpServer(
  deps: McpDeps,
  input: { organizationId: string; role: Role; data: CreateMcpServer & { transport: 'http' | 'stdio' } },
): Promise<McpServerRow> {
  const { data } = input;
  if (data.transport === 'stdio') assertMayRunCommands(deps, input.role);
  const now = deps.clock();
  try {
    const [row] = await deps.db
      .insert(mcpServers)
      .values({
        organizationId: input.organizationId,
        name: data.name,
        transport: data.transport,
        url: data.transport === 'http' ? data.url : null,
        command: data.transport === 'stdio' ? data.command : null,
        args: data.transport === 'stdio' ? (data.args ?? []) : [],
        headersCiphertext:
          data.transport === 'http' && Object.keys(data.headers ?? {}).length > 0
            ? deps.secrets.encrypt(JSON.stringify(data.headers))
            : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return row!;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(data.name);
    throw error;
  }
}
