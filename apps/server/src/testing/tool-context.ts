/**
 * Runs the product's tools the way a call does (through the registry, with a call row, a
 * recorder and a call-control double), without a media stream: the tool tests use it to cover
 * every argument and error path quickly.
 */
import type { CallControl, ToolRunResult } from '@switchboard/voice';
import { CallRecorder } from '../call-record/recorder.ts';
import type { CallRow } from '../mappers/calls.ts';
import type { CallToolContext } from '../tools/context.ts';
import { buildToolRegistry } from '../tools/index.ts';
import { insertCall } from './fixtures.ts';
import type { SeededOrg, TestApp } from './test-app.ts';

export interface ControlCall {
  method: keyof CallControl;
  args: unknown[];
}

export interface ToolHarness {
  call: CallRow;
  context: CallToolContext;
  recorder: CallRecorder;
  /** Every call-control method called, in order. */
  control: ControlCall[];
  /** Makes `transfer` reject once (Twilio refused the redirect). */
  failTransfer(error: Error): void;
  abort: AbortController;
  run(name: string, args: unknown): Promise<ToolRunResult>;
}

export async function toolHarness(
  t: TestApp,
  org: SeededOrg,
  values: Partial<CallRow> = {},
  extra: Pick<CallToolContext, 'callTools' | 'smsRecipients'> = {},
): Promise<ToolHarness> {
  const call = await insertCall(t.ctx.db, org.id, {
    direction: 'inbound',
    from: '+14155550123',
    to: '+15005550006',
    status: 'in-progress',
    agentId: org.agent.id,
    providerCallSid: `CA${crypto.randomUUID().replaceAll('-', '')}`,
    ...values,
  });
  const recorder = new CallRecorder(t.ctx, call);
  const inbound = call.direction === 'inbound';
  const context: CallToolContext = {
    organizationId: org.id,
    callId: call.id,
    agentId: call.agentId,
    prospect: { id: call.prospectId },
    direction: call.direction,
    callerNumber: inbound ? call.from : call.to,
    ourNumber: inbound ? call.to : call.from,
    providerCallSid: call.providerCallSid,
    timeZone: 'America/New_York',
    recorder,
    ...extra,
  };
  const calls: ControlCall[] = [];
  let transferError: Error | null = null;
  const record =
    (method: keyof CallControl) =>
    async (...args: unknown[]) => {
      calls.push({ method, args });
      if (method === 'transfer' && transferError) {
        const error = transferError;
        transferError = null;
        throw error;
      }
    };
  const control = {
    hangup: record('hangup'),
    redirect: record('redirect'),
    afterPlayback: record('afterPlayback'),
    endCall: record('endCall'),
    transfer: record('transfer'),
  } as CallControl;
  const abort = new AbortController();
  const tools = buildToolRegistry(t.ctx);
  let n = 0;
  return {
    call,
    context,
    recorder,
    control: calls,
    failTransfer: (error) => {
      transferError = error;
    },
    abort,
    run: async (name, args) => {
      const result = await tools.run(name, typeof args === 'string' ? args : JSON.stringify(args), {
        ...context,
        signal: abort.signal,
        control,
        toolCallId: `call_${++n}`,
      });
      await recorder.flushed();
      return result;
    },
  };
}

/** The structured error of a failed run (or a test failure). */
export function errorOf(result: ToolRunResult): { code: string; message: string; details?: unknown } {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.result)}`);
  return result.error;
}

/** The result of a successful run (or a test failure). */
export function resultOf<T = Record<string, unknown>>(result: ToolRunResult): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.result as T;
}
