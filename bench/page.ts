/**
 * `npm run bench:page`: only the warm CatalogPage against its peers (the first part of `npm run bench`),
 * BENCH_ROUNDS (default 3) alternating rounds of BENCH_SECONDS (default 10) each, after an unrecorded
 * warm-up of BENCH_WARMUP_SECONDS (default 5) per server; medians.
 */
import { benchCatalogPage, formatCatalogPage } from './catalog-page.ts';
import { pinLoadGenerator } from './harness.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
/** The page bench's unrecorded warm-up under load, per server (BENCH_WARMUP_SECONDS, default 5). */
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

console.log(`erpfront page bench: ${rounds} alternating rounds × ${seconds} s, 10 connections; ${pinLoadGenerator()}`);
console.log(formatCatalogPage(await benchCatalogPage({ rounds, seconds, warmupSeconds }), fmt));
