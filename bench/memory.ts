/**
 * `npm run bench:memory`: what the cache really costs in memory.
 *
 * 1. Per entry: the in-process cache store (as erpfront builds it) filled with the sandbox's own
 *    price entries and items; the heap it takes (after GC) against what `CACHE_MAX_MB` counts
 *    (each entry's estimated size): how honest that bound is.
 * 2. A real erpfront process (every feature, the response cache on) after its cache was filled
 *    over GraphQL with 5,000 items and about 100,000 price entries (customers with contract prices
 *    paging through the whole catalog): its RSS, against the 256 MB target.
 *
 * Run with `--expose-gc` (the npm script does).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../scripts/sign-token.ts';
import { createMemoryCacheStore } from '../src/adapters/stores/memory/cache-store.ts';
import { dataSetFor } from '../src/sandbox-erp/data-set.ts';
import { counter, skus } from '../test/support/stack.ts';
import { freePort, startServer } from './harness.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:memory)');
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const MB = 1024 * 1024;

// 1. Per entry, in this process.
const data = dataSetFor();
const prices = [...data.prices].slice(0, 100_000);
const items = data.items.slice(0, 5000);
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const store = createMemoryCacheStore({ maxEntries: 1_000_000, maxBytes: 4096 * MB });
// Values as the cache holds them: fresh objects, as parsed from an ERP answer (not the data set's own).
const entries = [
  ...prices.map(([key, entry]) => [`prices:${key.replaceAll('|', ':')}`, JSON.parse(JSON.stringify(entry))] as const),
  ...items.map((item) => [`items:${item.sku}`, JSON.parse(JSON.stringify(item))] as const),
];
const before = heap();
const fetchedAt = Date.now();
const asOf = new Date(fetchedAt).toISOString();
await store.setMany(
  entries.map(([key, value]) => [key, { value, fetchedAt, asOf }] as const),
  3_600_000,
);
const used = heap() - before;
const counted = entries.reduce((sum, [key, value]) => sum + key.length + JSON.stringify(value).length + 64, 0);
console.log(`## Cache memory: ${fmt(prices.length)} price entries and ${fmt(items.length)} items (the sandbox's)`);
console.log(
  `heap taken: ${fmt(used / MB, 1)} MB = ${fmt(used / entries.length)} bytes per entry; counted against CACHE_MAX_MB: ${fmt(counted / MB, 1)} MB = ${fmt(counted / entries.length)} bytes per entry; real / counted = ${(used / counted).toFixed(2)}×`,
);
entries.length = 0;

// 2. A real erpfront process.
const secret = randomBytes(32).toString('base64url');
const [sandboxPort, port] = [await freePort(), await freePort()];
const sandbox = await startServer(['src/entry/sandbox.ts'], { SANDBOX_PORT: String(sandboxPort) }, /127\.0\.0\.1/);
const erpfront = await startServer(
  ['src/entry/node.ts'],
  {
    PORT: String(port),
    ERP_URL: `http://127.0.0.1:${sandboxPort}`,
    AUTH_JWT_SECRET: secret,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-bench-')),
    // The default (100,000 entries) cannot hold 100,000 prices and 5,000 items together.
    CACHE_MAX_ENTRIES: '150000',
    THROTTLE: 'off',
    // Cold pages of 250 SKUs, one after the other: nothing to shed.
    OVERLOAD_EVENT_LOOP_DELAY_MS: '0',
  },
  /GraphQL at/,
);
try {
  const url = `http://127.0.0.1:${port}`;
  const ops = await signToken({ secret, roles: ['ops'], subject: 'ops@bench' });
  const metric = async (name: string, labels: Record<string, string>) =>
    counter(await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ops}` } })).text(), name, labels);
  const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${erpfront.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  const idle = rss();
  const page = /* GraphQL */ `query Prices($skus: [ID!]!) { products(skus: $skus) { sku price { unitPrice { amount currency } source } } }`;
  const customers = [...data.customersById.values()].filter((c) => c.hasContractPrices);
  let stored = 0;
  for (const customer of customers) {
    const token = await signToken({ secret, roles: ['buyer'], customerId: customer.id });
    for (let from = 1; from <= 5000; from += 250) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: page, variables: { skus: skus(250, from) } }),
      });
      if (response.status !== 200) throw new Error(`fill: ${response.status} ${await response.text()}`);
    }
    // Each price entry fetched once (cold) is one miss: the entries stored.
    stored = await metric('erpfront_cache_requests_total', { cache: 'prices', result: 'miss' });
    if (stored >= 100_000) break;
  }
  const items = await metric('erpfront_cache_requests_total', { cache: 'items', result: 'miss' });
  // Settle: the process's own GC runs when it allocates; a few warm pages give it the chance.
  await new Promise((r) => setTimeout(r, 2000));
  const full = rss();
  console.log(
    `erpfront RSS: ${fmt(idle / MB, 1)} MB started; ${fmt(full / MB, 1)} MB with ${fmt(stored)} price entries and ${fmt(items)} items cached (target ≤ 256 MB)`,
  );
} finally {
  erpfront.kill('SIGKILL');
  sandbox.kill('SIGKILL');
}
