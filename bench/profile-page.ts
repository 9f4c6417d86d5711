/**
 * `npm run bench:profile`: where the warm CatalogPage's CPU time goes. Starts the sandbox ERP and
 * erpfront (every protection on, as in the page bench) under `node --cpu-prof`, warms the page,
 * loads it for BENCH_SECONDS (default 10), stops erpfront and prints the profile's self time by
 * package / source area and the costliest functions. RESPONSE_CACHE=true profiles the response
 * cache's hits instead of the page running; BENCH_REDIS_URL=redis://… profiles a scale-out instance
 * (its orders volatile: a bench's Redis); BENCH_THROTTLE=off profiles it without the caller's bucket. CPU
 * time, not req/s: it holds on a loaded machine.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../scripts/sign-token.ts';
import { CATALOG_PAGE, skus } from '../test/support/stack.ts';
import { erpfrontBenchConfig } from './catalog-page.ts';
import { freePort, load, pinLoadGenerator, startServer } from './harness.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const responseCache = process.env.RESPONSE_CACHE === 'true';
console.log(`profile of the warm CatalogPage, ${seconds} s, response cache ${responseCache ? 'on' : 'off'}; ${pinLoadGenerator()}`);

const secret = randomBytes(32).toString('base64url');
const profDir = mkdtempSync(join(tmpdir(), 'erpfront-prof-'));
const [sandboxPort, port] = [await freePort(), await freePort()];
const sandbox = await startServer(['src/entry/sandbox.ts'], { SANDBOX_PORT: String(sandboxPort) }, /127\.0\.0\.1/);
const erpfront = await startServer(
  ['--cpu-prof', `--cpu-prof-dir=${profDir}`, 'src/entry/node.ts'],
  {
    PORT: String(port),
    ...erpfrontBenchConfig(`http://127.0.0.1:${sandboxPort}`, secret),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-bench-')),
    RESPONSE_CACHE: String(responseCache),
    ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL, REDIS_ALLOW_VOLATILE_ORDERS: 'true' } : {}),
    ...(process.env.BENCH_THROTTLE ? { THROTTLE: process.env.BENCH_THROTTLE } : {}),
  },
  /GraphQL at/,
);
let requests = 0;
// The load's window on the monotonic clock V8 stamps samples with: start-up and warm-up left out.
let window = [0, 0];
try {
  const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
  const body = JSON.stringify({ query: CATALOG_PAGE, variables: { skus: skus(48), quantity: 1 } });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let i = 0; i < 3; i++) await (await fetch(url, { method: 'POST', headers, body })).text();
  const started = Number(process.hrtime.bigint() / 1000n);
  const round = await load(url, { headers, body }, seconds);
  window = [started, Number(process.hrtime.bigint() / 1000n)];
  requests = Math.round(round.rps * seconds);
  console.log(`load: ${Math.round(round.rps)} req/s, p99 ${round.p99} ms, ${round.errors} errors`);
} finally {
  const exited = new Promise((resolve) => erpfront.once('exit', resolve));
  erpfront.kill('SIGINT');
  await exited;
  sandbox.kill('SIGKILL');
}

const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no profile written in ${profDir}`);
const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
let at = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  at += profile.timeDeltas[i] ?? 0;
  if (at < window[0]! || at > window[1]!) continue;
  self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

/** Where a frame's code lives: a package, an erpfront source area, node's own, or V8 (GC, idle, program). */
function area(url: string, name: string): string {
  if (!url) return `(${name || 'native'})`;
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1]!;
  const src = url.match(/\/(src\/[^/]+\/[^/]+)/);
  if (src) return src[1]!;
  if (url.startsWith('node:')) return url;
  return url.replace(/^.*\//, '');
}

const areas = new Map<string, number>();
const functions = new Map<string, number>();
let total = 0;
for (const [id, us] of self) {
  const { callFrame } = byId.get(id)!;
  total += us;
  const a = area(callFrame.url, callFrame.functionName);
  areas.set(a, (areas.get(a) ?? 0) + us);
  const f = `${callFrame.functionName || '(anonymous)'} ${callFrame.url ? `${area(callFrame.url, '')}:${callFrame.lineNumber + 1}` : ''}`;
  functions.set(f, (functions.get(f) ?? 0) + us);
}
const idle = areas.get('(idle)') ?? 0;
const busy = total - idle;
const top = (m: Map<string, number>, n: number) =>
  [...m]
    .filter(([k]) => k !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);
console.log(
  `\nCPU during the load: ${(busy / 1e6).toFixed(2)} s busy of ${(total / 1e6).toFixed(2)} s sampled; ${requests ? `${(busy / requests).toFixed(0)} µs per page` : ''}`,
);
console.log('\n| self time by area | share of busy | µs per page |');
console.log('| --- | ---: | ---: |');
for (const [k, us] of top(areas, 25)) console.log(`| ${k} | ${((us / busy) * 100).toFixed(1)}% | ${requests ? (us / requests).toFixed(1) : ''} |`);
console.log('\n| costliest functions (self) | share of busy |');
console.log('| --- | ---: |');
for (const [k, us] of top(functions, 25)) console.log(`| ${k} | ${((us / busy) * 100).toFixed(1)}% |`);

// Time spent under each stage of a request (inclusive, each sample counted once per stage). An
// await splits a function: what runs after it is counted under the microtask that resumed it, so
// async stages show their synchronous parts.
const STAGES = (
  process.env.PROFILE_STAGES ??
  // The hono path's stages, then the Node lane's (which takes the bench's pages), then node:http's.
  'loadShedding,requestTrace,requestLog,graphql,graphqlLane,serve,admit,answerKnown,send,lookup,#serve,run,verify,take,refund,query,stringify,parserOnHeadersComplete,parserOnIncoming,writev,emit'
).split(',');
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const inclusive = new Map(STAGES.map((s) => [s, 0]));
for (const [id, us] of self) {
  if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const name = byId.get(at)!.callFrame.functionName;
    if (inclusive.has(name) && !seen.has(name)) {
      seen.add(name);
      inclusive.set(name, inclusive.get(name)! + us);
    }
  }
}
console.log('\n| stage (inclusive, synchronous parts) | share of busy | µs per page |');
console.log('| --- | ---: | ---: |');
for (const [k, us] of inclusive) console.log(`| ${k} | ${((us / busy) * 100).toFixed(1)}% | ${requests ? (us / requests).toFixed(1) : ''} |`);
