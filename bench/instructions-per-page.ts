/**
 * `node bench/instructions-per-page.ts`: the instructions erpfront executes per warm CatalogPage
 * (every protection on, as in the page bench), response cache off and on, counted by valgrind's
 * callgrind over BENCH_PAGES (default 300) pages after a warm-up. Unlike req/s or CPU time it does
 * not move with the machine's other load: compare builds with it (BENCH_DIRS, comma-separated
 * checkouts). Needs `valgrind` (and is slow: the server runs some 50 times slower under it).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { signToken } from '../scripts/sign-token.ts';
import { CATALOG_PAGE, skus } from '../test/support/stack.ts';
import { erpfrontBenchConfig } from './catalog-page.ts';
import { freePort, startServer } from './harness.ts';

const pages = Number(process.env.BENCH_PAGES ?? 300);
const dirs = (process.env.BENCH_DIRS ?? '.').split(',');
const modes = (process.env.BENCH_MODES ?? 'off,on').split(',');

/** Sends `amount` pages; the failed ones, counted. */
async function send(url: string, headers: Record<string, string>, body: string, amount: number): Promise<number> {
  const result = await autocannon({ url, method: 'POST', headers, body, connections: 4, amount, timeout: 120 });
  return result.errors + result.non2xx;
}

/** The instructions a callgrind dump counted (its `summary:` or `totals:` line). */
function instructionsIn(file: string): number {
  const text = readFileSync(file, 'utf8');
  const line = text.match(/^summary: (\d+)/m);
  if (!line) throw new Error(`no totals in ${file}`);
  return Number(line[1]);
}

const secret = randomBytes(32).toString('base64url');
const sandboxPort = await freePort();
const sandbox = await startServer(['src/entry/sandbox.ts'], { SANDBOX_PORT: String(sandboxPort) }, /127\.0\.0\.1/);
try {
  for (const mode of modes) {
    for (const dir of dirs) {
      const port = await freePort();
      const outDir = mkdtempSync(join(tmpdir(), 'erpfront-callgrind-'));
      const child = await startServer(
        [join(dir, 'src/entry/node.ts')],
        {
          PORT: String(port),
          ...erpfrontBenchConfig(`http://127.0.0.1:${sandboxPort}`, secret),
          DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-bench-')),
          // Turns are some 50 times longer under valgrind: shedding watches the delay, but never reaches it.
          OVERLOAD_EVENT_LOOP_DELAY_MS: '60000',
          RESPONSE_CACHE: String(mode === 'on'),
          // Pages are some 50 times slower under valgrind: nothing may age out while they are
          // counted (a cached answer lives as long as its stock's 20 s), or misses and refreshes
          // are counted with the pages.
          FRESHNESS_ITEMS_SECONDS: '3600',
          FRESHNESS_PRICES_SECONDS: '3600',
          FRESHNESS_AVAILABILITY_SECONDS: '3600',
          FRESHNESS_CREDIT_SECONDS: '3600',
        },
        /GraphQL at/,
        ['valgrind', '--tool=callgrind', '--smc-check=all-non-file', '--separate-threads=yes', `--callgrind-out-file=${outDir}/cg.%p`],
      );
      try {
        const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
        const body = JSON.stringify({ query: CATALOG_PAGE, variables: { skus: skus(48), quantity: 1 } });
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
        const url = `http://127.0.0.1:${port}/graphql`;
        // Cold pages under valgrind may outlast the ERP client's timeout: warm until one is whole.
        for (let i = 0; i < 20; i++) {
          const answer = await fetch(url, { method: 'POST', headers, body });
          if (answer.ok && !('errors' in (await answer.json()))) break;
        }
        await send(url, headers, body, pages * 2);
        execFileSync('callgrind_control', ['-z', String(child.pid)], { stdio: 'ignore' });
        const failed = await send(url, headers, body, pages);
        if (failed > 0) console.log(`${dir}: ${failed} of ${pages} pages failed while counted`);
        execFileSync('callgrind_control', ['-d', String(child.pid)], { stdio: 'ignore' });
        // One dump per thread (`cg.<pid>.1-01` is the main thread's): V8 compiles and collects
        // garbage on helper threads as well, at moments that vary from run to run.
        const dumps = readdirSync(outDir).filter((f) => /\.\d+\.\d+-\d+$/.test(f));
        const total = dumps.reduce((sum, f) => sum + instructionsIn(join(outDir, f)), 0);
        const main = dumps.filter((f) => f.endsWith('-01')).reduce((sum, f) => sum + instructionsIn(join(outDir, f)), 0);
        const perPage = (n: number) => (n / pages / 1e6).toFixed(3);
        console.log(`${dir} response cache ${mode}: ${perPage(main)} M instructions per page on the main thread, ${perPage(total)} M on all threads`);
      } finally {
        child.kill('SIGKILL');
      }
    }
  }
} finally {
  sandbox.kill('SIGKILL');
}
