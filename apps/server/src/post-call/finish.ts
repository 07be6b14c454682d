/**
 * The last step after a call: everything known about it is written (analysis done or failed, or
 * none was due). Customer webhooks hear `call.ended` from here.
 */
import type { DbOrTx } from '@switchboard/db';
import type { AppContext } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';

export type FinishDeps = Pick<AppContext, 'log' | 'clock' | 'jobs' | 'config'> & { db: DbOrTx };

export async function callFinished(_deps: FinishDeps, _call: CallRow): Promise<void> {}
