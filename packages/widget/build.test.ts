/** The widget bundle builds and stays within its size budget (≤ 35 kB gzipped). */
import { describe, expect, it } from 'vitest';
import { buildWidget, WIDGET_BUDGET_BYTES } from './build.ts';

describe('widget bundle', () => {
  it('builds one script under the gzipped size budget that defines <switchboard-widget>', async () => {
    const built = await buildWidget();
    expect(built.gzipBytes).toBeLessThanOrEqual(WIDGET_BUDGET_BYTES);
    expect(built.code).toContain('switchboard-widget');
    expect(built.hash).toMatch(/^[0-9a-f]{12}$/);
  });
});
