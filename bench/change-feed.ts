/**
 * Change-to-visible latency: a price changed in the sandbox ERP, until every one of three
 * scale-out instances sharing Redis answers the new price. The whole loop as it runs in
 * production: the sandbox applies the change and sends its signed webhook (to instance 0, as a
 * load balancer would pick one), that instance verifies it, drops the entries from Redis and its
 * own memory and tells the others over pub/sub, and each instance's next read fetches the price
 * from the ERP again.
 *
 * Before each change the price is read on all three instances (so each holds it cached: a cold
 * read would show the new price at once and measure nothing); then the clock starts as the
 * control request is sent, and each instance is read every POLL_MS until it answers the new price.
 * Not a load test: the processes share both cores.
 *
 * @module
 */
import { startScaleOut } from '../test/support/redis.ts';
import { webhookSecret } from '../test/support/webhooks.ts';
import { freePort } from './harness.ts';

/** Pause between two reads of one instance while waiting for the new price. */
const POLL_MS = 5;
/** A change not visible everywhere by then is a failure of the bench, not a slow sample. */
const GIVE_UP_MS = 10_000;

const PRICE = /* GraphQL */ `query ($sku: ID!) { products(skus: [$sku]) { price { unitPrice { amount } } } }`;
const SOURCES = /* GraphQL */ `query ($skus: [ID!]!) { products(skus: $skus) { sku price { source } } }`;

/** Percentiles of one set of samples, ms. */
export interface Latency {
  p50: number;
  p99: number;
  max: number;
}

export interface ChangeFeedBench {
  changes: number;
  /** Until the new price showed on all three instances. */
  all: Latency;
  /** Until it showed on instance `i` (0 got the webhook; 1 and 2 heard it over pub/sub). */
  perInstance: Latency[];
}

export async function benchChangeFeed(options: { changes: number }): Promise<ChangeFeedBench> {
  const secret = webhookSecret();
  const port = await freePort();
  const scale = await startScaleOut(
    3,
    // One caller reading flat out is not what is measured: throttling off.
    { ERP_WEBHOOK_SECRET: secret, THROTTLE: 'off' },
    {
      sandboxEnv: { SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${port}/erp/events`, SANDBOX_WEBHOOK_SECRET: secret },
      instanceEnv: (i): Record<string, string> => (i === 0 ? { PORT: String(port) } : {}),
    },
  );
  try {
    // C0002 buys from price list PL-OEM.
    const token = await scale.buyerToken('C0002');
    const price = async (i: number, sku: string): Promise<string> => {
      const response = await fetch(`${scale.instances[i]!.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: PRICE, variables: { sku } }),
      });
      const answer = await response.json();
      if (answer.errors) throw new Error(`price of ${sku} on instance ${i}: ${JSON.stringify(answer.errors)}`);
      return answer.data.products[0].price.unitPrice.amount;
    };
    const until = async (i: number, sku: string, amount: string, started: number): Promise<number> => {
      for (;;) {
        if ((await price(i, sku)) === amount) return performance.now() - started;
        if (performance.now() - started > GIVE_UP_MS) throw new Error(`instance ${i} still did not show ${sku} at ${amount} after ${GIVE_UP_MS} ms`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    };

    // The SKUs C0002 is priced from PL-OEM for (not a contract price, still sold): a change of
    // their PL-OEM price is what the buyer sees.
    const candidates = Array.from({ length: 100 }, (_, i) => `SKU-${String(i + 1).padStart(5, '0')}`);
    const listed = await fetch(`${scale.instances[0]!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: SOURCES, variables: { skus: candidates } }),
    }).then((r) => r.json());
    const skus = (listed.data.products as Array<{ sku: string; price: { source: string } | null }>)
      .filter((p) => p.price?.source === 'PRICE_LIST')
      .map((p) => p.sku);
    if (skus.length === 0) throw new Error(`no SKU priced from PL-OEM for C0002: ${JSON.stringify(listed).slice(0, 300)}`);

    const all: number[] = [];
    const perInstance: number[][] = [[], [], []];
    for (let n = 0; n < options.changes; n++) {
      // A different SKU each time (round the list), with a price it never had before.
      const sku = skus[n % skus.length]!;
      const amount = `${100 + n}.37`;
      const cached = await Promise.all([0, 1, 2].map((i) => price(i, sku)));
      if (cached.includes(amount)) throw new Error(`${sku} already costs ${amount}: the bench would measure nothing`);
      const started = performance.now();
      const response = await fetch(`${scale.sandbox.url}/__control/changes`, {
        method: 'POST',
        body: JSON.stringify({ type: 'price', sku, priceListId: 'PL-OEM', unitPrice: amount }),
      });
      if (!response.ok) throw new Error(`sandbox change: ${response.status} ${await response.text()}`);
      const seen = await Promise.all([0, 1, 2].map((i) => until(i, sku, amount, started)));
      for (const [i, ms] of seen.entries()) perInstance[i]!.push(ms);
      all.push(Math.max(...seen));
    }
    return { changes: options.changes, all: latency(all), perInstance: perInstance.map(latency) };
  } finally {
    await scale.close();
  }
}

/** Nearest-rank percentiles. */
function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { p50: rank(50), p99: rank(99), max: sorted.at(-1)! };
}

/** The bench's section of `npm run bench`. */
export function formatChangeFeed(result: ChangeFeedBench): string {
  const f = (ms: number) => ms.toFixed(1);
  const row = (name: string, l: Latency) => `| ${name} | ${f(l.p50)} | ${f(l.p99)} | ${f(l.max)} |`;
  return [
    `## Change to visible: a price changed in the sandbox ERP until all three scale-out instances show it (${result.changes} changes, webhook to instance 0)`,
    '| instance | p50 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: |',
    row('all three', result.all),
    ...result.perInstance.map((l, i) => row(i === 0 ? 'instance 0 (got the webhook)' : `instance ${i} (over pub/sub)`, l)),
  ].join('\n');
}

// `node bench/change-feed.ts`: this section alone.
if (import.meta.main) {
  console.log(formatChangeFeed(await benchChangeFeed({ changes: Number(process.env.BENCH_CHANGES ?? 50) })));
}
