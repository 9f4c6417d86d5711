/**
 * `npm run bench:budget`: how much work a response-cache hit may do for issue 16's target (the
 * repeated page from the response cache at ≥ 0.5× node:http sending the precomputed bytes).
 *
 * node:http sends erpfront's own warm CatalogPage answer, as in the page bench, after spending
 * BENCH_BUDGET_US (default 0,10,20,30,40) µs of CPU on each request; BENCH_ROUNDS (default 3)
 * alternating rounds of BENCH_SECONDS (default 10), medians. The largest work that keeps 0.5× of
 * the 0 µs line is what erpfront's whole hit (token, customer, key, bucket, live parts, log line,
 * metrics, span) must fit in, beyond node:http's own parse and write. The last line is erpfront's
 * hit itself, in the same rounds: its CPU per request against the 0 µs line's is what it spends.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../scripts/sign-token.ts';
import { CATALOG_PAGE, skus } from '../test/support/stack.ts';
import { erpfrontBenchConfig } from './catalog-page.ts';
import { cpuMicros, freePort, load, median, pinLoadGenerator, startServer, summarize, type Round } from './harness.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const budgets = (process.env.BENCH_BUDGET_US ?? '0,10,20,30,40').split(',').map(Number);

console.log(`response-cache hit budget: ${rounds} alternating rounds × ${seconds} s, 10 connections; ${pinLoadGenerator()}`);
const dir = mkdtempSync(join(tmpdir(), 'erpfront-bench-'));
const secret = randomBytes(32).toString('base64url');
const body = JSON.stringify({ query: CATALOG_PAGE, variables: { skus: skus(48), quantity: 1 } });

const servers: ChildProcess[] = [];
try {
  const [sandboxPort, erpfrontPort] = [await freePort(), await freePort()];
  servers.push(await startServer(['src/entry/sandbox.ts'], { SANDBOX_PORT: String(sandboxPort) }, /127\.0\.0\.1/));
  const erpfront = await startServer(
    ['src/entry/node.ts'],
    {
      PORT: String(erpfrontPort),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-bench-')),
      ...erpfrontBenchConfig(`http://127.0.0.1:${sandboxPort}`, secret),
      RESPONSE_CACHE: 'true',
    },
    /GraphQL at/,
  );
  servers.push(erpfront);
  const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const erpfrontUrl = `http://127.0.0.1:${erpfrontPort}/graphql`;
  // The page as erpfront answers it: the bytes every node:http line sends.
  const answer = await fetch(erpfrontUrl, { method: 'POST', headers, body });
  const text = await answer.text();
  if (!answer.ok || 'errors' in JSON.parse(text)) throw new Error(`CatalogPage failed: ${text.slice(0, 300)}`);
  writeFileSync(join(dir, 'response.json'), text);

  const lines = [];
  for (const work of budgets) {
    const port = await freePort();
    const server = await startServer(['bench/precomputed.ts', join(dir, 'response.json'), String(port), String(work)], {}, /precomputed on/);
    servers.push(server);
    lines.push({
      name: `node:http, precomputed bytes, after ${work} µs of CPU`,
      server,
      url: `http://127.0.0.1:${port}/graphql`,
      rounds: [] as Round[],
      cpu: [] as number[],
    });
  }
  lines.push({ name: 'erpfront, the same page from its response cache', server: erpfront, url: erpfrontUrl, rounds: [] as Round[], cpu: [] as number[] });
  const init = { headers, body };
  for (const line of lines) await load(line.url, init, 3);
  for (let i = 0; i < rounds; i++) {
    for (const line of lines) {
      const before = cpuMicros(line.server.pid!);
      const round = await load(line.url, init, seconds);
      line.rounds.push(round);
      line.cpu.push((cpuMicros(line.server.pid!) - before) / (round.rps * seconds));
    }
  }
  const ceiling = summarize(lines[0]!.rounds).rps;
  console.log('| server | req/s (median) | p99 ms | CPU µs per request (median) | × the first line |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const line of lines) {
    const r = summarize(line.rounds);
    console.log(
      `| ${line.name} | ${Math.round(r.rps).toLocaleString('en-US')} | ${r.p99} | ${median(line.cpu).toFixed(1)} | ${(r.rps / ceiling).toFixed(2)} |`,
    );
  }
} finally {
  for (const server of servers) server.kill('SIGKILL');
}
