/**
 * `npm run bench:memory`: what the cache really costs in memory.
 *
 * 1. Per entry: the in-process cache store (as erpfront builds it) filled with the sandbox's own
 *    price entries and items, parsed as the sandbox connector parses an ERP answer; the heap they
 *    take (after GC: entries, values, keys) against what `CACHE_MAX_MB` counts for them: how
 *    honest that bound is.
 * 2. A real erpfront process (every feature, the response cache on) after its cache was filled
 *    over GraphQL with 5,000 items and about 100,000 price entries (customers with contract prices
 *    paging through the whole catalog): its RSS started, at its peak, right after the fill and
 *    settled (V8 gives back what the fill's garbage took once allocation stops), against the 256 MB
 *    target; by default, then with bounded memory (cache bounds and V8's heap limits).
 *
 * Run with `--expose-gc` (the npm scripts do): `npm run bench` runs it as its last part.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../scripts/sign-token.ts';
import { ItemsBatchWire, parseWire, PricesAnswerWire } from '../src/adapters/erp/sandbox/wire.ts';
import { createMemoryCacheStore, entryBytes } from '../src/adapters/stores/memory/cache-store.ts';
import type { CacheEntry } from '../src/ports/cache-store.ts';
import { dataSetFor } from '../src/sandbox-erp/data-set.ts';
import { counter, skus } from '../test/support/stack.ts';
import { freePort, startServer } from './harness.ts';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const MB = 1024 * 1024;
const TARGET_MB = 256;

/**
 * Measures and prints both parts (per entry, then a real process by default and with bounded
 * memory). Needs `--expose-gc`.
 */
export async function benchMemory(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:memory)');
  // 1. Per entry, in this process.
  const data = dataSetFor();
  const prices = [...data.prices.values()].slice(0, 100_000);
  const items = data.items.slice(0, 5000);
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  // The ERP's answers as they arrive (text), 250 a batch: what the cache keeps is parsed from them.
  const batches = (values: readonly unknown[]) =>
    Array.from({ length: Math.ceil(values.length / 250) }, (_, i) => JSON.stringify({ value: values.slice(i * 250, i * 250 + 250), missing: [] }));
  const [priceAnswers, itemAnswers] = [batches(prices), batches(items)];
  const store = createMemoryCacheStore({ maxEntries: prices.length + items.length, maxBytes: 4096 * MB });
  const before = heap();
  const fetchedAt = Date.now();
  const asOf = new Date(fetchedAt).toISOString();
  let counted = 0;
  let stored = 0;
  const keep = async (pairs: Array<[string, CacheEntry]>) => {
    for (const [key, entry] of pairs) counted += entryBytes(key, entry);
    stored += pairs.length;
    await store.setMany(pairs, 3_600_000);
  };
  for (const answer of priceAnswers) {
    const entries = parseWire(PricesAnswerWire, JSON.parse(answer), 'getPrices').value;
    await keep(entries.map((p) => [`prices:${`${p.scope}:${p.scopeId}:${p.sku}`}`, { value: p, fetchedAt, asOf }]));
  }
  for (const answer of itemAnswers) {
    const entries = parseWire(ItemsBatchWire, JSON.parse(answer), 'getItems').value;
    await keep(entries.map((item) => [`items:${item.sku}`, { value: item, fetchedAt, asOf }]));
  }
  const used = heap() - before;
  console.log(`## Cache memory: ${fmt(prices.length)} price entries and ${fmt(items.length)} items (the sandbox's, parsed as the connector parses them)`);
  console.log(
    `heap taken: ${fmt(used / MB, 1)} MB = ${fmt(used / stored)} bytes per entry; counted against CACHE_MAX_MB: ${fmt(counted / MB, 1)} MB = ${fmt(counted / stored)} bytes per entry; real / counted = ${(used / counted).toFixed(2)}×`,
  );
  await store.clear();

  // 2. A real erpfront process, as it is by default, then with its memory bounded: caches sized by
  // what they really take (honest since CACHE_MAX_MB counts the heap), V8's heap kept within them.
  // (Both caches full under those bounds, 280,000 prices, it peaked at about 280 MB, measured.)
  const secret = randomBytes(32).toString('base64url');
  const sandboxPort = await freePort();
  const sandbox = await startServer(['src/entry/sandbox.ts'], { SANDBOX_PORT: String(sandboxPort) }, /127\.0\.0\.1/);
  try {
    await measure('default', [], {});
    await measure('with bounded memory', ['--max-old-space-size=224', '--max-semi-space-size=8'], {
      CACHE_MAX_MB: '96',
      RESPONSE_CACHE_MAX_MB: '32',
    });
  } finally {
    sandbox.kill('SIGKILL');
  }

  async function measure(label: string, nodeArgs: string[], env: Record<string, string>): Promise<void> {
    const port = await freePort();
    const erpfront = await startServer(
      [...nodeArgs, 'src/entry/node.ts'],
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
        ...env,
      },
      /GraphQL at/,
    );
    try {
      const url = `http://127.0.0.1:${port}`;
      const ops = await signToken({ secret, roles: ['ops'], subject: 'ops@bench' });
      const metric = async (name: string, labels: Record<string, string>) =>
        counter(await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ops}` } })).text(), name, labels);
      const status = (field: string) =>
        Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${erpfront.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
      const rss = () => status('VmRSS');
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
          // Read, as a client does: an answer left unread holds its connection (and the server's
          // socket) until the client collects it.
          const text = await response.text();
          if (response.status !== 200) throw new Error(`fill: ${response.status} ${text}`);
        }
        // Each price entry fetched once (cold) is one miss: the entries stored.
        stored = await metric('erpfront_cache_requests_total', { cache: 'prices', result: 'miss' });
        if (stored >= 100_000) break;
      }
      const items = await metric('erpfront_cache_requests_total', { cache: 'items', result: 'miss' });
      const filled = rss();
      // Settled: once allocation stops, V8's memory reducer collects the fill's garbage and gives the
      // pages back (it waits some seconds first); read 30 s after the fill, the process idle.
      await new Promise((r) => setTimeout(r, 30_000));
      const settled = rss();
      const gauge = async (name: string) => metric(`erpfront_nodejs_${name}`, {});
      const [heapUsed, heapTotal, external] = [await gauge('heap_size_used_bytes'), await gauge('heap_size_total_bytes'), await gauge('external_memory_bytes')];
      const settings = [...nodeArgs, ...Object.entries(env).map(([k, v]) => `${k}=${v}`)].join(' ');
      console.log(
        `## erpfront ${label}${settings ? ` (${settings})` : ''}, ${fmt(stored)} price entries and ${fmt(items)} items cached (target ≤ ${TARGET_MB} MB RSS)`,
      );
      console.log(
        `RSS: ${fmt(idle / MB, 1)} MB started; ${fmt(status('VmHWM') / MB, 1)} MB at its peak = ${(status('VmHWM') / MB / TARGET_MB).toFixed(2)}× the target; ${fmt(filled / MB, 1)} MB right after the fill; ${fmt(settled / MB, 1)} MB settled (30 s later) = ${(settled / MB / TARGET_MB).toFixed(2)}× the target`,
      );
      console.log(`settled: heap ${fmt(heapUsed / MB, 1)} MB used of ${fmt(heapTotal / MB, 1)} MB; external ${fmt(external / MB, 1)} MB`);
    } finally {
      erpfront.kill('SIGKILL');
    }
  }
}

if (import.meta.main) await benchMemory();
