import type { VadType } from '@switchboard/shared';

/** Turn detection kinds, as the agent studio names them. */
export const VAD_LABELS: Record<VadType, string> = {
  server_vad: 'Silence-based (server VAD)',
  semantic_vad: 'Semantic (model decides)',
};
