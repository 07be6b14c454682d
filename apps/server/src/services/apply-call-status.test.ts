/**
 * Status callbacks are applied by one conditional update: a callback read before another write
 * (a final status, a newer sequence number) changes nothing, even from a stale snapshot.
 */
import type { CallStatus } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCall, loadCall } from '../call-record/update-call.ts';
import type { StatusCallbackFields } from '../telephony/webhook-forms.ts';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { applyCallStatus } from './apply-call-status.ts';

const kinds = await testDbKinds();

describe.each(kinds)('status callbacks on %s', (kind) => {
  let t: TestApp;
  let org: SeededOrg;
  beforeAll(async () => {
    t = await buildTestApp(kind);
    org = await t.seedOrg();
  });
  afterAll(() => t?.close());

  const fields = (
    callSid: string,
    callStatus: CallStatus,
    sequenceNumber: number | null,
  ): StatusCallbackFields => ({
    callSid,
    callStatus,
    sequenceNumber,
    callDurationS: null,
    answeredBy: undefined,
  });

  it('never lets a late non-final callback overwrite a final status, even from a stale read', async () => {
    const sid = `CA${'4'.repeat(32)}`;
    const call = (await createCall(t.ctx, {
      organizationId: org.id,
      direction: 'inbound',
      status: 'in-progress',
      providerCallSid: sid,
    }))!;
    const staleSnapshot = { ...call };
    await applyCallStatus(t.ctx, call, fields(sid, 'completed', 5));
    expect((await loadCall(t.ctx.db, call))?.status).toBe('completed');
    // A `ringing` callback read the row before `completed` was written.
    expect(await applyCallStatus(t.ctx, staleSnapshot, fields(sid, 'ringing', 2))).toBeNull();
    expect((await loadCall(t.ctx.db, call))?.status).toBe('completed');
  });

  it('never applies an older sequence number over a newer one', async () => {
    const sid = `CA${'5'.repeat(32)}`;
    const call = (await createCall(t.ctx, {
      organizationId: org.id,
      direction: 'inbound',
      status: 'ringing',
      providerCallSid: sid,
    }))!;
    const staleSnapshot = { ...call };
    await applyCallStatus(t.ctx, call, fields(sid, 'in-progress', 3));
    expect(await applyCallStatus(t.ctx, staleSnapshot, fields(sid, 'ringing', 1))).toBeNull();
    expect((await loadCall(t.ctx.db, call))?.status).toBe('in-progress');
  });
});
