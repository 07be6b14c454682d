/**
 * The tool registry of the product: every in-call tool the model can be given (enabled per
 * agent through `agent.tools`). One file per tool in this folder.
 */
import { ToolRegistry } from '@switchboard/voice';
import type { CallToolContext, ToolDeps } from './context.ts';

export function buildToolRegistry(_deps: ToolDeps): ToolRegistry<CallToolContext> {
  return new ToolRegistry<CallToolContext>();
}
