/**
 * DTMF shortcuts: an agent maps a key to one of its tools (`dtmfActions: { "0": "transfer_call" }`).
 * The key then runs the tool directly instead of reaching the model; the outcome lands on the
 * call's timeline, and a failure is explained to the caller by the agent. Only tools that need
 * no information from the caller can be keyed; other mappings are ignored (the key goes to the
 * model, which hears every unmapped key).
 */
import type { DtmfAction, ToolRegistry } from '@switchboard/voice';
import type { CallRecorder } from '../call-record/recorder.ts';
import type { CallToolContext } from '../tools/context.ts';

const KEYED_TOOLS: Record<string, (digit: string) => Record<string, unknown>> = {
  transfer_call: (digit) => ({ reason: `The caller pressed ${digit} to reach a person.` }),
  end_call: (digit) => ({ reason: `The caller pressed ${digit} to end the call.` }),
  leave_voicemail: () => ({}),
};

export interface DtmfDeps {
  tools: ToolRegistry<CallToolContext>;
  recorder: CallRecorder;
}

export function dtmfActionsFor(
  mapping: Readonly<Record<string, string>>,
  enabledTools: readonly string[],
  deps: DtmfDeps,
): Record<string, DtmfAction<CallToolContext>> {
  const actions: Record<string, DtmfAction<CallToolContext>> = {};
  let runs = 0;
  for (const [digit, tool] of Object.entries(mapping)) {
    const args = KEYED_TOOLS[tool];
    if (!args || !deps.tools.has(tool) || !enabledTools.includes(tool)) continue;
    actions[digit] = async ({ control, context, signal, say }) => {
      const result = await deps.tools.run(tool, JSON.stringify(args(digit)), {
        ...context,
        control,
        signal,
        toolCallId: `dtmf_${digit}_${++runs}`,
      });
      deps.recorder.event('dtmf_action', {
        digit,
        tool,
        ok: result.ok,
        result: result.ok ? result.result : undefined,
        error: result.ok ? undefined : result.error,
        durationMs: result.durationMs,
      });
      if (!result.ok && result.error.code !== 'cancelled') {
        await say(
          `The caller pressed ${digit} for "${tool}", but it did not work: ${result.error.message} ` +
            'Tell them briefly and offer another way to help.',
        );
      }
    };
  }
  return actions;
}
