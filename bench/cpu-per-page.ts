/**
 * `node bench/cpu-per-page.ts`: erpfront's CPU time per warm CatalogPage (every protection on, as
 * in the page bench), response cache off and on: the server's user+system time over a load of
 * BENCH_SECONDS (default 5), divided by the requests answered. CPU per request, unlike req/s,
 * holds better on a machine shared with other work; compare builds with it (BENCH_DIRS).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../scripts/sign-token.ts';
import { CATALOG_PAGE, skus } from '../test/support/stack.ts';
import { erpfrontBenchConfig } from './catalog-page.ts';
import { cpuMicros, freePort, load, pinLoadGenerator, startServer } from './harness.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
console.log(`CPU per warm CatalogPage, ${rounds} × ${seconds} s per mode; ${pinLoadGenerator()}`);

/**
 * Checkouts to compare (BENCH_DIRS, comma-separated; default this one), each loaded in turn, round
 * after round. An entry may add settings as a query string, to compare one build's options:
 * `BENCH_DIRS='.,.?LOG_LEVEL=warn'`.
 */
const dirs = (process.env.BENCH_DIRS ?? '.').split(',');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const secret = randomBytes(32).toString('base64url');
const sandboxPort = await freePort();
const sandbox = await startServer(['src/entry/sandbox.ts'], { SANDBOX_PORT: String(sandboxPort) }, /127\.0\.0\.1/);
try {
  for (const responseCache of [false, true]) {
    const servers = [];
    for (const dir of dirs) {
      const port = await freePort();
      const [path = '.', settings = ''] = dir.split('?');
      const child = await startServer(
        [join(path, 'src/entry/node.ts')],
        {
          PORT: String(port),
          ...erpfrontBenchConfig(`http://127.0.0.1:${sandboxPort}`, secret),
          DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-bench-')),
          RESPONSE_CACHE: String(responseCache),
          ...Object.fromEntries(new URLSearchParams(settings)),
        },
        /GraphQL at/,
      );
      servers.push({ dir, child, url: `http://127.0.0.1:${port}/graphql`, perPage: [] as number[], rps: [] as number[] });
    }
    try {
      const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
      const body = JSON.stringify({ query: CATALOG_PAGE, variables: { skus: skus(48), quantity: 1 } });
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      for (const { url } of servers) {
        for (let i = 0; i < 3; i++) await (await fetch(url, { method: 'POST', headers, body })).text();
        await load(url, { headers, body }, 2);
      }
      for (let r = 0; r < rounds; r++) {
        for (const server of servers) {
          const before = cpuMicros(server.child.pid!);
          const round = await load(server.url, { headers, body }, seconds);
          const used = cpuMicros(server.child.pid!) - before;
          if (round.errors > 0) console.log(`${server.dir}: ${round.errors} errors`);
          server.perPage.push(used / (round.rps * seconds));
          server.rps.push(round.rps);
        }
      }
      for (const s of servers) {
        console.log(
          `${s.dir} response cache ${responseCache ? 'on ' : 'off'}: median ${median(s.perPage).toFixed(0)} µs CPU per page (${s.perPage.map((v) => v.toFixed(0)).join(' ')}), median ${Math.round(median(s.rps))} req/s`,
        );
      }
    } finally {
      for (const { child } of servers) child.kill('SIGKILL');
    }
  }
} finally {
  sandbox.kill('SIGKILL');
}
