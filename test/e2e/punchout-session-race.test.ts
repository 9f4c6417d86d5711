/**
 * A PunchOut session's cart goes back once. Racing `returnPunchOutCart` and `setPunchOutCart`
 * calls of one session (a double click, two tabs) over real HTTP: exactly one return succeeds,
 * the others are refused, and once the cart went back no cart change reopens the session.
 * Embedded (SQLite store) and scale-out (Redis store, two instances) alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buyersFile,
  demoBuyer,
  demoRequest,
  postCxml,
  redeem,
  RETURN_CART,
  SESSION,
  SET_CART,
  setupRequest,
  startBuyerEndpoint,
  startPageUrl,
} from '../support/punchout.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';
import { startStack, type Stack } from '../support/stack.ts';

let buyer: Awaited<ReturnType<typeof startBuyerEndpoint>>;
beforeAll(async () => {
  buyer = await startBuyerEndpoint();
});
afterAll(() => buyer?.close());

async function openSession(stack: Stack): Promise<string> {
  const answer = await postCxml(stack, demoRequest(setupRequest(`${buyer.url}/punchout/return`)));
  expect(answer.code).toBe(200);
  const redeemed = await redeem(stack, startPageUrl(answer.body)!);
  expect(redeemed.status).toBe(200);
  return redeemed.body.accessToken as string;
}

/** Fires 3 returns and 12 cart changes of one session at once (alternating `urls`); checks the outcome. */
async function race(stack: Stack, urls: string[], round: number) {
  const token = await openSession(stack);
  expect((await stack.graphql(SET_CART, { lines: [{ sku: 'SKU-00001', quantity: 1 }] }, { token })).body.data.setPunchOutCart.userErrors).toEqual([]);
  const call = async (i: number, query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${urls[i % urls.length]}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return response.json() as Promise<any>;
  };
  const calls = Array.from({ length: 15 }, (_, i) =>
    i % 5 === 0
      ? call(i, RETURN_CART, {}).then((body) => ({ kind: 'return' as const, ok: !!body.data?.returnPunchOutCart?.html, body }))
      : call(i, SET_CART, { lines: [{ sku: 'SKU-00002', quantity: round * 100 + i }] }).then((body) => ({
          kind: 'cart' as const,
          ok: body.data?.setPunchOutCart?.userErrors?.length === 0,
          body,
        })),
  );
  const results = await Promise.all(calls);
  const returned = results.filter((r) => r.kind === 'return' && r.ok);
  expect(
    returned,
    JSON.stringify(
      results.map(
        (r) =>
          `${r.kind}:${r.ok}:${JSON.stringify(r.body.errors ?? r.body.data?.setPunchOutCart?.userErrors ?? r.body.data?.returnPunchOutCart?.userErrors ?? null)}`,
      ),
    ),
  ).toHaveLength(1);
  // The cart went back: the session is closed for good, whatever landed around the return.
  const after = await stack.graphql(SESSION, {}, { token });
  expect(after.body.data?.punchOutSession ?? null).toBeNull();
  const late = await stack.graphql(SET_CART, { lines: [{ sku: 'SKU-00003', quantity: 1 }] }, { token });
  expect(late.body.data?.setPunchOutCart?.userErrors?.length === 0).toBe(false);
  const again = await stack.graphql(RETURN_CART, {}, { token });
  expect(again.body.data?.returnPunchOutCart?.html ?? null).toBeNull();
}

describe('a PunchOut cart goes back once, embedded', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ PUNCHOUT_BUYERS_FILE: buyersFile([demoBuyer()]) });
  });
  afterAll(() => stack?.close());

  it('racing returns and cart changes of one session, 8 rounds: one return wins, the session stays closed', async () => {
    for (let round = 1; round <= 8; round++) await race(stack, [stack.erpfront.url], round);
  });
});

const available = redisServerAvailable('punchout-session-race');
describe.skipIf(!available)('a PunchOut cart goes back once, two instances on Redis', () => {
  let scale: ScaleOut;
  beforeAll(async () => {
    scale = await startScaleOut(2, { PUNCHOUT_BUYERS_FILE: buyersFile([demoBuyer()]) });
  }, 90_000);
  afterAll(() => scale?.close());

  it('racing returns and cart changes spread over both instances, 8 rounds: one return wins', async () => {
    const stack = { ...scale.stack(0), erpfront: scale.instances[0]! } as unknown as Stack;
    for (let round = 1; round <= 8; round++)
      await race(
        stack,
        scale.instances.map((i) => i.url),
        round,
      );
  });
});
