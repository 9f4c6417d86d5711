/**
 * Scale-out figures: the warm CatalogPage on one instance without Redis, on one instance with the
 * Redis tier (what the tier costs on the warm path), and on two instances sharing Redis (load
 * split over both); plus the first page of an instance whose LRU is cold: from the ERP, or from
 * the shared tier another instance filled.
 *
 * This machine has 2 cores: instance A is pinned to core 0, instance B to core 1, which it shares
 * with the load generator. Two instances cannot double throughput here; the figure shows what
 * sharing Redis costs, not what a second machine would add.
 */
import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../scripts/sign-token.ts';
import { startRedisServer } from '../test/support/redis.ts';
import { CATALOG_PAGE, skus } from '../test/support/stack.ts';
import { cpuMicros, freePort, median, startServer, summarize, type Round } from './harness.ts';

/**
 * erpfront on `core`, through the harness's start (its output drained once it is up: kept and
 * searched, each request's log line made the load generator's process quadratic, which capped
 * every figure here at a few hundred pages a second).
 */
function erpfront(core: string, env: Record<string, string>): Promise<ChildProcess> {
  return startServer(['src/entry/node.ts'], env, /GraphQL at/, [], core);
}

/** A round's figures, and the first server's CPU time per request answered (µs). */
async function round(
  urls: string[],
  init: { headers: Record<string, string>; body: string },
  seconds: number,
  pid?: number,
): Promise<Round & { cpuPerPage: number }> {
  const cpuBefore = pid === undefined ? 0 : cpuMicros(pid);
  const results = await Promise.all(
    urls.map((url) => autocannon({ url, method: 'POST', headers: init.headers, body: init.body, connections: 10 / urls.length, duration: seconds })),
  );
  return {
    cpuPerPage: pid === undefined ? Number.NaN : (cpuMicros(pid) - cpuBefore) / results[0]!.requests.total,
    rps: results.reduce((s, r) => s + r.requests.average, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((s, r) => s + r.errors + r.non2xx, 0),
  };
}

export async function benchScaleOut(options: { rounds: number; seconds: number }) {
  const secret = randomBytes(32).toString('base64url');
  const redis = await startRedisServer();
  const children: ChildProcess[] = [];
  try {
    const sandboxPort = await freePort();
    children.push(await startServer(['src/entry/sandbox.ts'], { SANDBOX_PORT: String(sandboxPort) }, /127\.0\.0\.1/));
    // One caller flat out is a flood by design: throttling off, so this measures erpfront's own work.
    // The response cache off: this measures what the Redis tier costs the entry cache on the warm path
    // (a response-cache hit reads no entry at all, so with it on there would be nothing to measure).
    const base = { ERP_URL: `http://127.0.0.1:${sandboxPort}`, AUTH_JWT_SECRET: secret, THROTTLE: 'off', RESPONSE_CACHE: 'false' };
    const ports = [await freePort(), await freePort(), await freePort()];
    const dir = () => mkdtempSync(join(tmpdir(), 'erpfront-bench-scale-'));
    children.push(await erpfront('0', { ...base, PORT: String(ports[0]), DATA_DIR: dir() }));
    children.push(await erpfront('0', { ...base, PORT: String(ports[1]), DATA_DIR: dir(), REDIS_URL: redis.url }));
    children.push(await erpfront('1', { ...base, PORT: String(ports[2]), DATA_DIR: dir(), REDIS_URL: redis.url }));
    const [plain, a, b] = ports.map((p) => `http://127.0.0.1:${p}/graphql`) as [string, string, string];

    const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
    const init = {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: CATALOG_PAGE, variables: { skus: skus(48), quantity: 1 } }),
    };
    const firstPage = async (url: string) => {
      const started = performance.now();
      const answer = await (await fetch(url, { method: 'POST', ...init })).json();
      if (answer.errors) throw new Error(`CatalogPage failed: ${JSON.stringify(answer.errors)}`);
      return performance.now() - started;
    };
    // Cold LRU, from the ERP (sandbox, no added latency) — then B's cold LRU, from Redis that A filled.
    const fromErp = await firstPage(plain);
    await firstPage(a);
    const fromRedis = await firstPage(b);

    type Measured = Round & { cpuPerPage: number };
    const rounds = { plain: [] as Measured[], one: [] as Measured[], two: [] as Measured[] };
    for (let i = 0; i < options.rounds; i++) {
      rounds.plain.push(await round([plain], init, options.seconds, children[1]!.pid));
      rounds.one.push(await round([a], init, options.seconds, children[2]!.pid));
      rounds.two.push(await round([a, b], init, options.seconds));
    }
    // CPU time per page, the server's own: unlike req/s it does not move with the load generator's
    // share of a shared core, so it shows a few percent where req/s varies by a fifth between rounds.
    const cpuPerPage = (measured: Measured[]) => median(measured.map((r) => r.cpuPerPage));
    return {
      plain: summarize(rounds.plain),
      one: summarize(rounds.one),
      two: summarize(rounds.two),
      cpuPerPage: { plain: cpuPerPage(rounds.plain), one: cpuPerPage(rounds.one) },
      fromErp,
      fromRedis,
    };
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await redis.stop();
  }
}
