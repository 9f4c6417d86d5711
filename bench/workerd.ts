/**
 * `npm run bench:workerd`: only the warm CatalogPage on workerd vs Node (a section of `npm run bench`),
 * BENCH_ROUNDS (default 3) alternating rounds of BENCH_SECONDS (default 10) each; medians.
 */
import { pinLoadGenerator } from './harness.ts';
import { benchWorkerdPage, formatWorkerdPage } from './workerd-page.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

console.log(`erpfront workerd bench: ${rounds} alternating rounds × ${seconds} s, 10 connections; ${pinLoadGenerator()}`);
console.log(formatWorkerdPage(await benchWorkerdPage({ rounds, seconds }), fmt));
