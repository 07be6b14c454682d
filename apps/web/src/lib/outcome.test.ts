import { CALL_DISPOSITIONS, CALL_END_REASONS } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { endReasonText, outcomeLabel } from './outcome.ts';

describe('outcome labels', () => {
  it('names every disposition and completes "Ended because" for every end reason', () => {
    for (const d of CALL_DISPOSITIONS) expect(outcomeLabel(d)).toMatch(/^[A-Z][a-z]/);
    for (const r of CALL_END_REASONS) expect(endReasonText(r)).toMatch(/^[a-zA-Z]/);
    expect(outcomeLabel('do_not_call')).toBe('Asked not to be called');
    expect(endReasonText('caller_hangup')).toBe('the caller hung up');
  });

  it('shows a dash for no outcome and nothing for a call that has not ended', () => {
    expect(outcomeLabel(null)).toBe('—');
    expect(endReasonText(null)).toBeNull();
    expect(outcomeLabel('something_new')).toBe('Something new');
  });
});
