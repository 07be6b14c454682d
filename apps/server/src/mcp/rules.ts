/** Rules shared by the MCP server use-cases. */
import { agents } from '@switchboard/db';
import { parseMcpToolRef, type Role } from '@switchboard/shared';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';

export type McpDeps = Pick<AppContext, 'db' | 'secrets' | 'clock' | 'config'>;
type Tx = Parameters<Parameters<AppContext['db']['transaction']>[0]>[0];

/** Servers that run a local command: only when the installation allows it, and only for owners. */
export function assertMayRunCommands(deps: Pick<McpDeps, 'config'>, role: Role): void {
  if (!deps.config.mcp.allowStdio) {
    throw new AppError(
      'forbidden',
      'MCP servers that run a local command are disabled on this installation (MCP_ALLOW_STDIO).',
    );
  }
  if (role !== 'owner')
    throw new AppError(
      'forbidden',
      'Only an owner may add or change an MCP server that runs a local command.',
    );
}

export const nameTaken = (name: string) =>
  new AppError('conflict', `An MCP server named "${name}" already exists`);

/** Renames (or, with `to` null, removes) `mcp:<from>:…` in every agent's tools. */
export async function rewriteToolRefs(
  tx: Tx,
  organizationId: string,
  from: string,
  to: string | null,
): Promise<void> {
  const rows = await tx
    .select({ id: agents.id, tools: agents.tools })
    .from(agents)
    .where(eq(agents.organizationId, organizationId));
  for (const agent of rows) {
    const next = agent.tools.flatMap((ref) => {
      const parsed = parseMcpToolRef(ref);
      if (parsed?.server !== from) return [ref];
      return to ? [`mcp:${to}:${parsed.tool}`] : [];
    });
    if (next.join() !== agent.tools.join()) {
      await tx
        .update(agents)
        .set({ tools: next })
        .where(and(eq(agents.organizationId, organizationId), eq(agents.id, agent.id)));
    }
  }
}
