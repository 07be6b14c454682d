/**
 * The studio's lists (models, voices, languages, time zones) from `GET /api/agent-options`,
 * fetched once per page load. Until they arrive, or when the request fails, the same lists built
 * into the dashboard are used.
 */
import { type AgentOptions, agentOptions } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { api } from '../api.ts';

let loaded: AgentOptions | undefined;
let loading: Promise<AgentOptions | undefined> | undefined;
let builtIn: AgentOptions | undefined;

export function useAgentOptions(): AgentOptions {
  const [options, setOptions] = useState<AgentOptions | undefined>(loaded);
  useEffect(() => {
    if (loaded) return;
    let live = true;
    loading ??= api.get<AgentOptions>('/api/agent-options').then(
      (o) => (loaded = o),
      () => {
        loading = undefined;
        return undefined;
      },
    );
    void loading.then((o) => {
      if (live && o) setOptions(o);
    });
    return () => {
      live = false;
    };
  }, []);
  builtIn ??= agentOptions();
  return options ?? builtIn;
}
