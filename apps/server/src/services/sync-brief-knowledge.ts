import { agents, knowledgeDocuments } from '@switchboard/db';
import { briefHead } from '@switchboard/voice';
import { and, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import type { AgentRow } from '../mappers/agents.ts';

export const BRIEF_DOCUMENT_TITLE = 'Company brief';

/**
 * Keeps the agent's "Company brief" document in step with its brief: a brief longer than the
 * instructions take is indexed whole (and `search_knowledge` enabled, so the rest is reachable);
 * a brief that fits has no such document. Returns the document to process, if any.
 */
export async function syncBriefKnowledge(deps: ServiceDeps, agent: AgentRow): Promise<string | null> {
  const brief = agent.companyBrief.trim();
  const scope = and(
    eq(knowledgeDocuments.organizationId, agent.organizationId),
    eq(knowledgeDocuments.agentId, agent.id),
    eq(knowledgeDocuments.source, 'brief'),
  );
  return deps.db.transaction(async (tx) => {
    await tx.delete(knowledgeDocuments).where(scope);
    if (!briefHead(brief).cut) return null;
    if (!agent.tools.includes('search_knowledge')) {
      await tx
        .update(agents)
        .set({ tools: [...agent.tools, 'search_knowledge'] })
        .where(eq(agents.id, agent.id));
    }
    const content = Buffer.from(brief, 'utf8');
    const now = deps.clock();
    const [row] = await tx
      .insert(knowledgeDocuments)
      .values({
        organizationId: agent.organizationId,
        agentId: agent.id,
        title: BRIEF_DOCUMENT_TITLE,
        mimeType: 'text/plain',
        bytes: content.length,
        source: 'brief',
        content,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: knowledgeDocuments.id });
    return row!.id;
  });
}
