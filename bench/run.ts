/**
 * `npm run bench`: erpfront's speed targets, measured in one run on this machine.
 *   BENCH_ROUNDS (default 3) alternating rounds of BENCH_SECONDS (default 10) each, medians (the page bench after an unrecorded warm-up of BENCH_WARMUP_SECONDS, default 5, per server).
 * Then change-to-visible latency on three instances (BENCH_CHANGES, default 50, price changes), and
 * what the cache takes in memory (`npm run bench:memory`: RSS of a process holding 100,000 prices
 * and 5,000 items), and the fault campaign's long run: BENCH_CHAOS_ORDERS (default 3000) orders on
 * three instances sharing Redis, seed BENCH_CHAOS_SEED (random, printed); `npm run chaos` runs it
 * alone. Run with `--expose-gc` (the npm script does), for the memory part.
 */
import { benchCatalogPage, formatCatalogPage } from './catalog-page.ts';
import { benchChangeFeed, formatChangeFeed } from './change-feed.ts';
import { pinLoadGenerator, releaseCores } from './harness.ts';
import { benchOrders } from './orders.ts';
import { benchMemory } from './memory.ts';
import { benchOverload, formatOverload } from './overload.ts';
import { benchPriceSheet, formatPriceSheet } from './price-sheet.ts';
import { benchProtections } from './protections.ts';
import { benchScaleOut } from './scale-out.ts';
import { benchWorkerdPage, formatWorkerdPage } from './workerd-page.ts';
import { runCampaign } from './chaos/campaign.ts';
import { formatReport } from './chaos/report.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
/** The page bench's unrecorded warm-up under load, per server (BENCH_WARMUP_SECONDS, default 5). */
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

console.log(`erpfront bench: ${rounds} alternating rounds × ${seconds} s, 10 connections; ${pinLoadGenerator()}`);

console.log(`\n${formatCatalogPage(await benchCatalogPage({ rounds, seconds, warmupSeconds }), fmt)}`);

// The same page on workerd (the Worker under wrangler, locally) vs Node: reported, no target.
console.log(`\n${formatWorkerdPage(await benchWorkerdPage({ rounds, seconds }), fmt)}`);

const protections = await benchProtections({ rounds, seconds });
console.log(
  `\n## Query limits, cost and throttling: warm CatalogPage, 48 SKUs (requested ${protections.cost.requestedQueryCost} points, actual ${protections.cost.actualQueryCost})`,
);
console.log('| protections | req/s (median) | p50 ms | p99 ms | errors |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(
  `| on (shape limits, SKUs per request, cost, extensions.cost, the caller's bucket) | ${fmt(protections.on.rps)} | ${fmt(protections.on.p50, 1)} | ${fmt(protections.on.p99, 1)} | ${protections.on.errors} |`,
);
console.log(
  `| off (QUERY_LIMITS=false, THROTTLE=off: the parser's token limit only) | ${fmt(protections.off.rps)} | ${fmt(protections.off.p50, 1)} | ${fmt(protections.off.p99, 1)} | ${protections.off.errors} |`,
);
console.log(`cost of the protections: ${(protections.overhead * 100).toFixed(1)}% of throughput (target < 10%)`);

console.log(`\n${formatOverload(await benchOverload({ seconds }), seconds)}`);

const orders = await benchOrders({ orders: Number(process.env.BENCH_ORDERS ?? 1000), budgetRps: Number(process.env.BENCH_BUDGET_RPS ?? 100) });
console.log(`\n## Orders while the ERP is down, then the drain (${orders.orders} orders, ERP budget ${orders.budgetRps} req/s)`);
console.log(
  `acceptance while down (QUEUED) at a steady 100 orders/s (one every 10 ms, each timed from its send): p50 ${fmt(orders.steady.p50, 1)} ms, p99 ${fmt(orders.steady.p99, 1)} ms, errors ${orders.steady.errors} (target p99 < 50 ms)`,
);
console.log(
  `acceptance while down, saturated (10 connections): p50 ${fmt(orders.saturated.p50, 1)} ms, p99 ${fmt(orders.saturated.p99, 1)} ms, ${fmt(orders.saturated.rps)} orders/s, errors ${orders.saturated.errors}`,
);
console.log(`in the ERP afterwards: ${orders.orders} orders, ${orders.distinctRefs} distinct references`);
console.log(
  `drain from recovery to empty queue: ${fmt(orders.drainSeconds, 2)} s = ${fmt(orders.drainRate, 1)} orders/s = ${(orders.drainRate / orders.budgetRps).toFixed(2)}× the budget (includes waiting for the breaker's next probe: 1 s cooldown, doubled per failed probe during the outage)`,
);
console.log(
  `steady drain, first to last ERP order: ${fmt(orders.steadyRate, 1)} orders/s = ${(orders.steadyRate / orders.budgetRps).toFixed(2)}× the budget (target ≥ 0.90×)`,
);

// Tryton: only where it is installed (apt-get install tryton-server ..., see the README).
const { trytonInstalled } = await import('../test/support/tryton.ts');
if (!trytonInstalled()) {
  console.log('\n## CatalogPage over Tryton: skipped, Tryton 6.0 is not installed (README "Run against Tryton")');
} else {
  const { benchTryton } = await import('./tryton.ts');
  const t = await benchTryton();
  console.log(`\n## CatalogPage over Tryton (${t.skus} products, as Globex): ERP calls and latency`);
  console.log('| client | JSON-RPC calls | latency ms |');
  console.log('| --- | ---: | ---: |');
  console.log(`| erpfront, cold (empty caches, session open) | ${t.cold.calls} | ${fmt(t.cold.ms, 1)} |`);
  console.log(`| erpfront, warm (median of 30) | ${fmt(t.warm.calls, 1)} | ${fmt(t.warm.ms, 1)} |`);
  console.log(`| naive: one call per product and field, sequential (median of 3) | ${t.naive.calls} | ${fmt(t.naive.ms, 1)} |`);
  console.log(
    `ratio naive / erpfront: cold ${(t.naive.ms / t.cold.ms).toFixed(1)}× faster with ${(t.naive.calls / Math.max(1, t.cold.calls)).toFixed(1)}× fewer calls; warm ${(t.naive.ms / t.warm.ms).toFixed(0)}× faster`,
  );
}

const scale = await benchScaleOut({ rounds, seconds });
console.log('\n## Scale-out: warm CatalogPage, 48 SKUs, with Redis (2 cores: instance A on core 0, instance B on core 1 with the load generator)');
console.log('| setup | req/s (median) | p50 ms | p99 ms | errors |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(`| one instance, no Redis | ${fmt(scale.plain.rps)} | ${fmt(scale.plain.p50, 1)} | ${fmt(scale.plain.p99, 1)} | ${scale.plain.errors} |`);
console.log(`| one instance, Redis tier behind its LRU | ${fmt(scale.one.rps)} | ${fmt(scale.one.p50, 1)} | ${fmt(scale.one.p99, 1)} | ${scale.one.errors} |`);
console.log(
  `| two instances sharing Redis (5 + 5 connections) | ${fmt(scale.two.rps)} | ${fmt(scale.two.p50, 1)} | ${fmt(scale.two.p99, 1)} | ${scale.two.errors} |`,
);
console.log(
  `cost of the Redis tier on the warm path: ${(((scale.plain.rps - scale.one.rps) / scale.plain.rps) * 100).toFixed(1)}% of throughput (LRU hits never touch Redis)`,
);
console.log(
  `CPU per page (the server's own, median): ${fmt(scale.cpuPerPage.plain)} µs without Redis, ${fmt(scale.cpuPerPage.one)} µs with the Redis tier: ${(((scale.cpuPerPage.one - scale.cpuPerPage.plain) / scale.cpuPerPage.plain) * 100).toFixed(1)}% more`,
);
console.log(`two instances / one: ${(scale.two.rps / scale.one.rps).toFixed(2)}× (the second instance shares its core with the load generator)`);
console.log(`first page with a cold LRU: ${fmt(scale.fromErp, 1)} ms from the ERP, ${fmt(scale.fromRedis, 1)} ms from the shared Redis tier`);

// The fault campaign is not a load test: its processes get both cores.
releaseCores();
// Change-to-visible across three instances sharing Redis: BENCH_CHANGES (default 50) price changes.
console.log(`\n${formatChangeFeed(await benchChangeFeed({ changes: Number(process.env.BENCH_CHANGES ?? 50) }))}`);

// The price sheet's cost to the ERP: calls counted (not timed), extrapolated to an hour at the configured pace.
console.log(`\n${formatPriceSheet(await benchPriceSheet())}`);

// Memory: the cache's footprint per entry, and a real process's RSS holding 100,000 prices and 5,000 items.
console.log('');
await benchMemory();

const chaosSeed = Number(process.env.BENCH_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`\n(fault campaign, seed ${chaosSeed}: every order checked against the ERP's own list afterwards)`);
const chaos = await runCampaign({ mode: 'redis', seed: chaosSeed, orders: Number(process.env.BENCH_CHAOS_ORDERS ?? 3000) });
console.log(formatReport(chaos));
if (!chaos.ok) process.exitCode = 1;
