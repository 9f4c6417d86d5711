/**
 * One bucket per caller across instances: two erpfront processes sharing Redis. A buyer who floods
 * both, alternating, gets no more than one bucket's worth (not two), with 429 + Retry-After +
 * THROTTLED from either instance, while another customer's buyer is served by both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flood, timed } from '../support/flood.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';
import { CATALOG_PAGE, skus } from '../support/stack.ts';

const available = redisServerAvailable('scale-out-throttle');
const CAPACITY = 1000;
const RESTORE = 100;
const LIMITS = { buyer: { capacity: CAPACITY, restorePerSecond: RESTORE }, customers: { C0002: { capacity: 100_000, restorePerSecond: 10_000 } } };
let scale: ScaleOut;

describe.skipIf(!available)('scale-out: one throttle bucket per caller across instances', () => {
  beforeAll(async () => {
    scale = await startScaleOut(2, { THROTTLE_LIMITS: JSON.stringify(LIMITS) });
  }, 90_000);
  afterAll(() => scale?.close());

  it('a buyer alternating between two instances cannot double its rate; another buyer is served by both', async () => {
    const page = { skus: skus(48), quantity: 1 };
    const flooder = await scale.buyerToken('C0001');
    const neighbour = await scale.buyerToken('C0002');
    // Each instance warm for both customers (a first page fills its in-process cache).
    for (const i of [0, 1]) {
      expect((await scale.stack(i).graphql(CATALOG_PAGE, page, { token: neighbour })).status).toBe(200);
    }
    const refusedBy = new Set<number>();
    const flooded = await Promise.all([
      flood(
        async (n) => {
          const answer = await scale.stack(n % 2).graphql(CATALOG_PAGE, page, { token: flooder });
          if (answer.status === 429) refusedBy.add(n % 2);
          return answer;
        },
        { concurrency: 6, durationMs: 4000 },
      ),
      timed(30, () => scale.stack(0).graphql(CATALOG_PAGE, page, { token: neighbour })),
      timed(30, () => scale.stack(1).graphql(CATALOG_PAGE, page, { token: neighbour })),
    ]);
    const [{ answers, elapsedMs }, neighbourOn0, neighbourOn1] = flooded;

    const served = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    for (const answer of refused) {
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(answer.body.errors[0].extensions).toMatchObject({ code: 'THROTTLED', throttleStatus: { maximumAvailable: CAPACITY, restoreRate: RESTORE } });
    }
    const cost: number = refused[0]!.body.errors[0].extensions.requestedQueryCost;
    // One bucket's worth: what it held plus what was restored. Two buckets would allow twice that.
    const oneBucket = (CAPACITY + (RESTORE * elapsedMs) / 1000) / cost;
    console.log(
      `scale-out throttle: flooder ${served.length} served / ${refused.length} refused over two instances in ${elapsedMs.toFixed(0)} ms (cost ${cost}; one bucket allows ${oneBucket.toFixed(1)}, two ${(2 * oneBucket).toFixed(1)})`,
    );
    expect(served.length).toBeLessThanOrEqual(Math.floor(oneBucket) + 1);
    expect(served.length).toBeGreaterThanOrEqual(2);
    // Both instances refused: the bucket is the caller's, not the instance's.
    expect([...refusedBy].sort()).toEqual([0, 1]);
    expect(neighbourOn0.ok.every(Boolean)).toBe(true);
    expect(neighbourOn1.ok.every(Boolean)).toBe(true);
  }, 60_000);
});
