/**
 * The warm CatalogPage (48 SKUs, the same buyer) on workerd locally vs on Node, in alternating
 * rounds of one run (issue 17: reported, no target). The Worker of wrangler.toml runs under wrangler
 * (bench/workerd-server.ts) with the bench's erpfront configuration as bindings, in front of the
 * same sandbox ERP as erpfront on Node; every process on the server's core. Measured twice: workerd
 * itself, and as `wrangler dev` serves it (its proxy, a second workerd, in front; its trace collector on).
 * Both answers' `data` are checked equal to Node's (each fetched the page itself: `asOf` aside).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { signToken } from '../scripts/sign-token.ts';
import { CATALOG_PAGE, skus } from '../test/support/stack.ts';
import { erpfrontBenchConfig } from './catalog-page.ts';
import { freePort, load, startServer, summarize, type Round } from './harness.ts';

/** The servers measured, in the order of each round. */
export const WORKERD_SERVERS = ['node', 'workerd', 'wranglerDev'] as const;
export type WorkerdServer = (typeof WORKERD_SERVERS)[number];

export async function benchWorkerdPage(options: { rounds: number; seconds: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'erpfront-bench-workerd-'));
  const secret = randomBytes(32).toString('base64url');
  const [sandboxPort, nodePort] = [await freePort(), await freePort()];
  // The same configuration on both runtimes, the Node erpfront line's (bench/catalog-page.ts).
  const config = erpfrontBenchConfig(`http://127.0.0.1:${sandboxPort}`, secret);
  const children: ChildProcess[] = [];
  const workers: ChildProcess[] = [];
  try {
    children.push(await startServer(['src/entry/sandbox.ts'], { SANDBOX_PORT: String(sandboxPort) }, /127\.0\.0\.1/));
    children.push(await startServer(['src/entry/node.ts'], { PORT: String(nodePort), DATA_DIR: dir, RESPONSE_CACHE: 'false', ...config }, /GraphQL at/));
    // The response cache off, as on Node: wrangler.toml leaves it at its default (on).
    const bindings = JSON.stringify({ ...config, RESPONSE_CACHE: 'false' });
    const startWorkerd = async (name: string, env: Record<string, string>) => {
      const urlsFile = join(dir, `${name}.json`);
      workers.push(await startServer(['bench/workerd-server.ts', urlsFile], { WORKER_BINDINGS: bindings, ...env }, /workerd on/));
      return JSON.parse(readFileSync(urlsFile, 'utf8')) as { direct: string; proxy: string };
    };
    // workerd itself, without the trace collector wrangler dev attaches to the Worker for its local
    // dashboard (X_LOCAL_OBSERVABILITY): dev tooling, not the runtime.
    const bare = await startWorkerd('workerd', { X_LOCAL_OBSERVABILITY: 'false' });
    const dev = await startWorkerd('wrangler-dev', { X_LOCAL_OBSERVABILITY: 'true' });
    const origins: Record<WorkerdServer, string> = { node: `http://127.0.0.1:${nodePort}`, workerd: bare.direct, wranglerDev: dev.proxy };

    const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
    const body = JSON.stringify({ query: CATALOG_PAGE, variables: { skus: skus(48), quantity: 1 } });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const url = (server: WorkerdServer) => `${origins[server]}/graphql`;
    const post = async (server: WorkerdServer) => (await fetch(url(server), { method: 'POST', headers, body })).json();
    // The first answers fill each runtime's caches from the ERP: the page is warm from then on.
    const answers: Awaited<ReturnType<typeof post>>[] = [];
    for (const server of WORKERD_SERVERS) answers.push(await post(server));
    for (const [i, answer] of answers.entries()) {
      if (answer.errors || !answer.extensions?.cost?.throttleStatus) {
        throw new Error(`CatalogPage failed on ${WORKERD_SERVERS[i]}: ${JSON.stringify(answer.errors ?? answer.extensions)}`);
      }
    }
    const withoutAsOf = (data: unknown) => JSON.parse(JSON.stringify(data), (key, value) => (key === 'asOf' ? undefined : value));
    const different = WORKERD_SERVERS.filter((_, i) => !isDeepStrictEqual(withoutAsOf(answers[i].data), withoutAsOf(answers[0].data)));
    if (different.length > 0) throw new Error(`not the same page from ${different.join(', ')} as from erpfront on Node`);

    const rounds = Object.fromEntries(WORKERD_SERVERS.map((s) => [s, [] as Round[]])) as Record<WorkerdServer, Round[]>;
    for (let i = 0; i < options.rounds; i++) {
      for (const server of WORKERD_SERVERS) rounds[server].push(await load(url(server), { headers, body }, options.seconds));
    }
    const results = Object.fromEntries(WORKERD_SERVERS.map((s) => [s, summarize(rounds[s])])) as Record<WorkerdServer, ReturnType<typeof summarize>>;
    return { results, bytes: Buffer.byteLength(JSON.stringify(answers[0])) };
  } finally {
    // SIGTERM first: the server processes then stop the workerd processes wrangler started.
    await Promise.all(workers.map(stop));
    for (const child of children) child.kill('SIGKILL');
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The section of `npm run bench`: both runtimes, the ratio, and what differs on workerd. */
export function formatWorkerdPage(page: Awaited<ReturnType<typeof benchWorkerdPage>>, fmt: (n: number, digits?: number) => string): string {
  const r = page.results;
  const names: Record<WorkerdServer, string> = {
    node: 'erpfront on Node (src/entry/node.ts)',
    workerd: 'erpfront on workerd, local (the Worker of wrangler.toml, served by workerd itself)',
    wranglerDev: 'the same Worker as `wrangler dev` serves it: its proxy (a second workerd) in front, its local trace collector on',
  };
  const lines = [
    `## Warm CatalogPage: workerd vs Node (48 SKUs, ${fmt(page.bytes)} bytes of JSON, one buyer, every protection on; data checked equal)`,
    '| server | req/s (median) | p50 ms | p99 ms | errors | × Node |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...WORKERD_SERVERS.map(
      (s) => `| ${names[s]} | ${fmt(r[s].rps)} | ${fmt(r[s].p50, 1)} | ${fmt(r[s].p99, 1)} | ${r[s].errors} | ${(r[s].rps / r.node.rps).toFixed(2)} |`,
    ),
    `workerd / Node: ${(r.workerd.rps / r.node.rps).toFixed(2)}× req/s, p99 ${fmt(r.workerd.p99, 1)} ms vs ${fmt(r.node.p99, 1)} ms (reported, no target)`,
    'on workerd: no graphql-jit (workerd forbids code generation from strings: repeated pages run on the JSON executor), no gzip (Cloudflare compresses at the edge;',
    'the load generator asks for none, so Node sends none either), CACHE_MAX_MB 32 (wrangler.toml); a local workerd, not the edge',
  ];
  return lines.join('\n');
}
