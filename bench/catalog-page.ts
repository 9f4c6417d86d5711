/**
 * The warm CatalogPage (48 SKUs) under load, in alternating rounds of one run: erpfront with every
 * protection on (auth, per-request loaders, cost limits, the caller's bucket, error masking), the
 * same page repeated through erpfront's response cache, and the peers answering the captured page
 * from memory with the same schema: bare graphql-yoga (with and without graphql-jit), mercurius
 * with its graphql-jit, Apollo Server 5, and node:http sending the precomputed bytes (the ceiling).
 * Every peer's `data` is checked equal to erpfront's before any load.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { signToken } from '../scripts/sign-token.ts';
import { CATALOG_PAGE, skus } from '../test/support/stack.ts';
import { freePort, load, startServer, summarize, type Round } from './harness.ts';

/** The servers measured, in the order of each round. */
export const PAGE_SERVERS = ['erpfront', 'responseCache', 'bare', 'bareJit', 'mercurius', 'apollo', 'precomputed'] as const;
export type PageServer = (typeof PAGE_SERVERS)[number];

const ERP_OPERATIONS = ['getItems', 'getPrices', 'getStock', 'getCustomers', 'getSalesReps', 'searchItems'];

/**
 * The configuration of the bench's erpfront line (bench/workerd-page.ts gives the Worker the same):
 * every protection on, for the bench's one buyer, C0001.
 */
export function erpfrontBenchConfig(erpUrl: string, secret: string): Record<string, string> {
  return {
    ERP_URL: erpUrl,
    AUTH_JWT_SECRET: secret,
    // Every protection on: shape limits, SKUs per request, cost and extensions.cost, and the caller's
    // bucket taken from and refunded on every request (so large for the bench's one buyer that it is
    // never refused: the bench measures the work, not the refusals).
    QUERY_LIMITS: 'true',
    THROTTLE: 'on',
    THROTTLE_LIMITS: JSON.stringify({ customers: { C0001: { capacity: 1e12, restorePerSecond: 1e12 } } }),
    // The shedder still checks every request; its per-turn budget is raised so that this shared
    // machine's scheduling pauses (other processes on core 0) are not counted as refusals.
    OVERLOAD_EVENT_LOOP_DELAY_MS: '2000',
  };
}

export async function benchCatalogPage(options: { rounds: number; seconds: number; warmupSeconds: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'erpfront-bench-'));
  const secret = randomBytes(32).toString('base64url');
  const ports = Object.fromEntries(await Promise.all(PAGE_SERVERS.map(async (s) => [s, await freePort()] as const))) as Record<PageServer, number>;
  const sandboxPort = await freePort();
  const children = [];
  try {
    children.push(await startServer(['src/entry/sandbox.ts'], { SANDBOX_PORT: String(sandboxPort) }, /127\.0\.0\.1/));
    const erpfront = (port: number, responseCache: boolean) =>
      startServer(
        ['src/entry/node.ts'],
        {
          PORT: String(port),
          DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-bench-')),
          ...erpfrontBenchConfig(`http://127.0.0.1:${sandboxPort}`, secret),
          RESPONSE_CACHE: String(responseCache),
        },
        /GraphQL at/,
      );
    children.push(await erpfront(ports.erpfront, false), await erpfront(ports.responseCache, true));

    const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
    const body = JSON.stringify({ query: CATALOG_PAGE, variables: { skus: skus(48), quantity: 1 } });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const url = (server: PageServer) => `http://127.0.0.1:${ports[server]}/graphql`;
    const post = async (server: PageServer) => (await fetch(url(server), { method: 'POST', headers, body })).json();
    const erpCalls = async () => {
      const stats = (await (await fetch(`http://127.0.0.1:${sandboxPort}/__control/stats`)).json()) as { byOperation: Record<string, number> };
      return ERP_OPERATIONS.reduce((sum, op) => sum + (stats.byOperation[op] ?? 0), 0);
    };
    const before = await erpCalls();
    const first = await post('erpfront');
    if (first.errors || !first.extensions?.cost?.throttleStatus) throw new Error(`CatalogPage failed: ${JSON.stringify(first.errors ?? first.extensions)}`);
    const coldErpCalls = (await erpCalls()) - before;
    const cached = await post('responseCache');
    if (cached.errors) throw new Error(`CatalogPage (response cache) failed: ${JSON.stringify(cached.errors)}`);

    writeFileSync(join(dir, 'page.json'), JSON.stringify(first.data));
    // What the ceiling sends: erpfront's own answer, as bytes.
    writeFileSync(join(dir, 'response.json'), JSON.stringify(first));
    const data = join(dir, 'page.json');
    children.push(
      await startServer(['bench/bare-yoga.ts', data, String(ports.bare)], {}, /bare yoga on/),
      await startServer(['bench/bare-yoga.ts', data, String(ports.bareJit), '--jit'], {}, /bare yoga \+ jit/),
      await startServer(['bench/peers/mercurius.ts', data, String(ports.mercurius)], {}, /mercurius on/),
      await startServer(['bench/peers/apollo.ts', data, String(ports.apollo)], {}, /apollo on/),
      await startServer(['bench/precomputed.ts', join(dir, 'response.json'), String(ports.precomputed)], {}, /precomputed on/),
    );
    const answers = await Promise.all(PAGE_SERVERS.map(post));
    // The response cache's process fetched the page itself: the same page, but its own `asOf`.
    const withoutAsOf = (data: unknown) => JSON.parse(JSON.stringify(data), (key, value) => (key === 'asOf' ? undefined : value));
    const different = PAGE_SERVERS.filter((s, i) =>
      s === 'responseCache' ? !isDeepStrictEqual(withoutAsOf(answers[i].data), withoutAsOf(first.data)) : !isDeepStrictEqual(answers[i].data, first.data),
    );
    if (different.length > 0) throw new Error(`not the same page from ${different.join(', ')}`);

    // Every server warmed under the same load first, unrecorded: JavaScript engines optimise what
    // runs hot, and a first round would measure how fast each server tiers up, not how fast it is.
    for (const server of PAGE_SERVERS) await load(url(server), { headers, body }, options.warmupSeconds);
    const rounds = Object.fromEntries(PAGE_SERVERS.map((s) => [s, [] as Round[]])) as Record<PageServer, Round[]>;
    for (let i = 0; i < options.rounds; i++) {
      for (const server of PAGE_SERVERS) rounds[server].push(await load(url(server), { headers, body }, options.seconds));
    }
    const results = Object.fromEntries(PAGE_SERVERS.map((s) => [s, summarize(rounds[s])])) as Record<PageServer, ReturnType<typeof summarize>>;
    return { results, bytes: Buffer.byteLength(JSON.stringify(first)), coldErpCalls };
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
}

/** The page's table and every ratio of issue 16's targets that this part of the bench measures. */
export function formatCatalogPage(page: Awaited<ReturnType<typeof benchCatalogPage>>, fmt: (n: number, digits?: number) => string): string {
  const r = page.results;
  const names: Record<PageServer, string> = {
    erpfront: 'erpfront, every protection on (auth, loaders, cost, bucket, masking), warm cache',
    responseCache: 'erpfront, the same page repeated, from its response cache',
    bare: 'bare graphql-yoga from memory',
    bareJit: 'bare graphql-yoga + graphql-jit from memory',
    mercurius: 'mercurius + graphql-jit from memory (graphql 16)',
    apollo: 'Apollo Server 5 standalone from memory (graphql 16)',
    precomputed: 'node:http sending the precomputed bytes',
  };
  const lines = [
    `## Warm CatalogPage, 48 SKUs (${fmt(page.bytes)} bytes of JSON; every server's data checked equal)`,
    '| server | req/s (median) | p50 ms | p99 ms | errors | × mercurius |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...PAGE_SERVERS.map(
      (s) => `| ${names[s]} | ${fmt(r[s].rps)} | ${fmt(r[s].p50, 1)} | ${fmt(r[s].p99, 1)} | ${r[s].errors} | ${(r[s].rps / r.mercurius.rps).toFixed(2)} |`,
    ),
    `erpfront / mercurius: ${(r.erpfront.rps / r.mercurius.rps).toFixed(2)}× (target ≥ 1.5×)`,
    `erpfront p99 ${fmt(r.erpfront.p99, 1)} ms vs mercurius p99 ${fmt(r.mercurius.p99, 1)} ms (target ≤)`,
    `response cache / node:http precomputed: ${(r.responseCache.rps / r.precomputed.rps).toFixed(2)}× (target ≥ 0.5×)`,
    `erpfront / bare yoga: ${(r.erpfront.rps / r.bare.rps).toFixed(2)}× (target ≥ 0.80×); / bare yoga + jit: ${(r.erpfront.rps / r.bareJit.rps).toFixed(2)}×; / Apollo: ${(r.erpfront.rps / r.apollo.rps).toFixed(2)}×`,
    `cold page (empty caches) over the sandbox ERP: ${page.coldErpCalls} ERP requests (target ≤ 4)`,
  ];
  return lines.join('\n');
}
