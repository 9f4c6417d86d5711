/**
 * Quotes on the scale-out backends: two erpfront processes share one Redis outbox in
 * front of one sandbox ERP. A quote requested on one instance while the ERP is down, with the
 * reply to its create then lost, is entered once; the other instance lists it (one getQuotes
 * call) and accepts it at the quoted prices; accepting it on the first answers the same order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/orders.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';

const available = redisServerAvailable('scale-out-quotes');
let scale: ScaleOut;

const REQUEST_QUOTE = /* GraphQL */ `mutation($input: RequestQuoteInput!) { requestQuote(input: $input) { quote { id status } userErrors { code } } }`;
const QUOTES = /* GraphQL */ `{ quotes(first: 20) { edges { node { id status erpQuoteNumber lines { sku unitPrice { amount } } } } } }`;
const ACCEPT = /* GraphQL */ `mutation($id: ID!, $key: String!) { acceptQuote(id: $id, idempotencyKey: $key) { order { id status lines { sku unitPrice { amount } } } userErrors { code } } }`;

describe.skipIf(!available)('scale-out: quotes through a shared outbox', () => {
  beforeAll(async () => {
    scale = await startScaleOut(2, { BREAKER_COOLDOWN_SECONDS: '1' });
  }, 90_000);
  afterAll(() => scale?.close());

  it('requested on one instance while the ERP is down, its create reply lost: entered once; listed and accepted on the other at the quoted price', async () => {
    const token = await scale.buyerToken('C0001');
    await scale.faults({ outage: true });
    const requested = await scale
      .stack(0)
      .graphql(REQUEST_QUOTE, { input: { lines: [{ sku: 'SKU-00002', quantity: 6 }], idempotencyKey: 'scale-rfq' } }, { token });
    expect(requested.body.data.requestQuote.userErrors).toEqual([]);
    const id = requested.body.data.requestQuote.quote.id as string;
    await new Promise((r) => setTimeout(r, 1000));
    await scale.faults({ outage: false, dropResponseAfterCommit: 1 });

    const held = await eventually(
      async () => ((await (await fetch(`${scale.sandbox.url}/__control/quotes`)).json()) as { quotes: Array<{ number: string; externalRef: string }> }).quotes,
      (qs) => qs.some((q) => q.externalRef === id),
      30_000,
    );
    const number = held.find((q) => q.externalRef === id)!.number;
    await scale.faults({ dropResponseAfterCommit: false });
    const answer = await fetch(`${scale.sandbox.url}/__control/quotes/${number}/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lines: [{ sku: 'SKU-00002', unitPrice: '11.11' }], validUntil: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10) }),
    });
    expect(answer.status).toBe(200);
    // The other instance: the dispatcher that had the lost reply may be either; both see one quotation.
    const listed = await eventually(
      async () => (await scale.stack(1).graphql(QUOTES, {}, { token })).body.data.quotes.edges.map((e: { node: unknown }) => e.node),
      (nodes: Array<{ id: string; erpQuoteNumber: string | null }>) => nodes.some((n) => n.id === id && n.erpQuoteNumber === number),
      30_000,
    );
    expect(listed.find((n: { id: string }) => n.id === id)).toMatchObject({ status: 'QUOTED', lines: [{ sku: 'SKU-00002', unitPrice: { amount: '11.11' } }] });
    const all = ((await (await fetch(`${scale.sandbox.url}/__control/quotes`)).json()) as { quotes: Array<{ externalRef: string }> }).quotes;
    expect(all.filter((q) => q.externalRef === id)).toHaveLength(1);

    const accepted = (await scale.stack(1).graphql(ACCEPT, { id, key: 'scale-accept' }, { token })).body.data.acceptQuote;
    expect(accepted.userErrors).toEqual([]);
    expect(accepted.order.lines).toEqual([{ sku: 'SKU-00002', unitPrice: { amount: '11.11' } }]);
    // Accepting it on the first instance too: the same order.
    const again = (await scale.stack(0).graphql(ACCEPT, { id, key: 'scale-accept-2' }, { token })).body.data.acceptQuote;
    expect(again.order.id).toBe(accepted.order.id);
  });
});
