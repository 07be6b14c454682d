import type { Agent, ListResponse } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { api, itemsOf } from '../api.ts';

/** Agents change rarely; many pages need their names, so the list is fetched once and shared. */
let cache: Promise<Agent[]> | null = null;

export function loadAgents(): Promise<Agent[]> {
  cache ??= api
    .get<ListResponse<Agent> | Agent[]>('/api/agents', { limit: 200 })
    .then(itemsOf)
    .catch((err: unknown) => {
      cache = null;
      throw err;
    });
  return cache;
}

/** Call after creating, renaming or deleting an agent. */
export function invalidateAgents(): void {
  cache = null;
}

export function useAgents(): { agents: Agent[]; error: unknown } {
  const [agents, setAgents] = useState<Agent[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    loadAgents().then(
      (a) => live && setAgents(a),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, []);
  return { agents, error };
}

export function agentName(agents: readonly Agent[], id: string | null | undefined): string {
  if (!id) return '—';
  return agents.find((a) => a.id === id)?.name ?? 'Deleted agent';
}
