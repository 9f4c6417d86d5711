/**
 * A stale-while-revalidate refresh, which nobody waits for, runs at the ERP budget's `background`
 * priority (behind every read a buyer waits on), as the budget port promises: read through the
 * budget's own accounting, `erpfront_erp_budget_wait_seconds{priority}`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_PAGE, counter, skus, startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  // Prices are fresh for 1 s, then served stale (and refreshed) for 10 s more.
  stack = await startStack({ FRESHNESS_PRICES_SECONDS: '1', STALE_WHILE_REVALIDATE_FRACTION: '10' });
});
afterAll(() => stack?.close());

const waits = async (priority: string) => counter(await stack.metrics(), 'erpfront_erp_budget_wait_seconds_count', { priority });

describe('stale-while-revalidate refreshes', () => {
  it('run at background priority, not at the priority of the read that found the entry stale', async () => {
    const page = { skus: skus(12), quantity: 10 };
    const first = await stack.graphql(CATALOG_PAGE, page);
    expect(first.body.errors).toBeUndefined();
    const readsBefore = await waits('read');
    expect(await waits('background')).toBe(0);

    await new Promise((r) => setTimeout(r, 1300));
    const second = await stack.graphql(CATALOG_PAGE, page);
    // Served at once from the stale entries, marked so; the refresh goes on behind the answer.
    expect(second.body.data.products[0].price.stale).toBe(true);
    await expect.poll(() => waits('background'), { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    // Nothing of the refresh was counted as a read somebody waits on.
    expect(await waits('read')).toBe(readsBefore);
    // And the refreshed prices are fresh again.
    await expect.poll(async () => (await stack.graphql(CATALOG_PAGE, page)).body.data.products[0].price.stale, { timeout: 5000 }).toBe(false);
  });
});
