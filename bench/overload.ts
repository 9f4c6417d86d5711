/**
 * Overload: orders and a well-behaved buyer's catalog pages while another buyer surges, with the
 * load shedder on (the defaults) and off (MAX_INFLIGHT_REQUESTS=0, OVERLOAD_EVENT_LOOP_DELAY_MS=0).
 *
 * - orders (C0002): 5 placeOrder a second, open loop (sent on time whether or not the last was answered);
 * - the well-behaved buyer (C0001): 20 warm CatalogPages a second, open loop;
 * - the surging buyer (C0003): 100 connections (10× the throughput bench's 10), each sending its
 *   next warm CatalogPage as soon as the last is answered, from a process of its own at a lower
 *   CPU priority (so that it does not slow down the clocks measuring the others).
 *
 * Each setting runs a calm phase (orders and the buyer alone), then the surge, `seconds` each.
 * Part of `npm run bench`; alone: `node bench/overload.ts` (BENCH_SECONDS, default 10).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../scripts/sign-token.ts';
import { PLACE_ORDER } from '../test/support/orders.ts';
import { CATALOG_PAGE, skus } from '../test/support/stack.ts';
import { runSurge } from '../test/support/surge.ts';
import { freePort, pinLoadGenerator, startServer } from './harness.ts';

export interface Latencies {
  p50: number;
  p99: number;
  /** Answers that were not a success (orders: not 200 with an order; pages: not 200), connection failures included. */
  failed: number;
  /** Pages refused with 503 OVERLOADED. */
  shed: number;
  total: number;
}

export interface OverloadPhase {
  orders: Latencies;
  buyer: Latencies;
  /** The surging buyer's pages served and shed per second (surge phase only). */
  surge?: { servedPerSecond: number; shedPerSecond: number };
  /** erpfront's resident memory at the end of the phase, MB. */
  rssMb: number;
}

export interface OverloadRun {
  calm: OverloadPhase;
  surge: OverloadPhase;
}

const SETTINGS = {
  off: { MAX_INFLIGHT_REQUESTS: '0', OVERLOAD_EVENT_LOOP_DELAY_MS: '0' },
  on: {},
} as const;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)]!;
}

/** Sends `call` every `everyMs` for `ms`, without waiting for answers; resolves with every answer. */
async function openLoop<T>(everyMs: number, ms: number, call: () => Promise<T>): Promise<T[]> {
  const calls: Promise<T>[] = [];
  const start = performance.now();
  for (let i = 0; performance.now() - start < ms; i++) {
    calls.push(call());
    // On schedule from the start, not from the last send: a late timer does not lower the rate.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + (i + 1) * everyMs - performance.now())));
  }
  return Promise.all(calls);
}

interface Answer {
  ms: number;
  ok: boolean;
  shed: boolean;
}

function summarize(answers: Answer[]): Latencies {
  const served = answers.filter((a) => a.ok).map((a) => a.ms);
  return {
    p50: percentile(served, 50),
    p99: percentile(served, 99),
    failed: answers.filter((a) => !a.ok && !a.shed).length,
    shed: answers.filter((a) => a.shed).length,
    total: answers.length,
  };
}

export async function benchOverload(options: { seconds: number }): Promise<Record<keyof typeof SETTINGS, OverloadRun>> {
  const dir = mkdtempSync(join(tmpdir(), 'erpfront-bench-overload-'));
  const secret = randomBytes(32).toString('base64url');
  const sandboxPort = await freePort();
  const sandbox = await startServer(['src/entry/sandbox.ts'], { SANDBOX_PORT: String(sandboxPort) }, /127\.0\.0\.1/);
  const tokens = {
    buyer: await signToken({ secret, roles: ['buyer'], customerId: 'C0001' }),
    orderer: await signToken({ secret, roles: ['buyer'], customerId: 'C0002' }),
    surger: await signToken({ secret, roles: ['buyer'], customerId: 'C0003' }),
  };
  const page = JSON.stringify({ query: CATALOG_PAGE, variables: { skus: skus(48), quantity: 1 } });
  const order = JSON.stringify({ query: PLACE_ORDER, variables: { input: { lines: [{ sku: 'SKU-00001', quantity: 1 }] } } });
  const headers = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
  const results = {} as Record<keyof typeof SETTINGS, OverloadRun>;
  try {
    for (const [name, env] of Object.entries(SETTINGS) as Array<[keyof typeof SETTINGS, Record<string, string>]>) {
      const port = await freePort();
      const erpfront = await startServer(
        ['src/entry/node.ts'],
        {
          PORT: String(port),
          ERP_URL: `http://127.0.0.1:${sandboxPort}`,
          AUTH_JWT_SECRET: secret,
          DATA_DIR: mkdtempSync(join(dir, name)),
          // The surging buyer would be held by its own bucket (429) first: this scenario measures
          // the process protecting itself, so the throttle is off on both sides.
          THROTTLE: 'off',
          ...env,
        },
        /GraphQL at/,
      );
      try {
        const url = `http://127.0.0.1:${port}/graphql`;
        const send = async (token: string, body: string, ok: (json: any) => boolean): Promise<Answer> => {
          const start = performance.now();
          let response: Response;
          try {
            response = await fetch(url, { method: 'POST', headers: headers(token), body });
          } catch {
            // A connection reset (a keep-alive socket the server closed during a long stall): a failure, not the end of the run.
            return { ms: performance.now() - start, ok: false, shed: false };
          }
          const json = await response.json();
          return {
            ms: performance.now() - start,
            ok: response.status === 200 && ok(json),
            shed: response.status === 503 && json.errors?.[0]?.extensions?.code === 'OVERLOADED',
          };
        };
        const pageOk = (json: any) => !json.errors;
        const orderOk = (json: any) => Boolean(json.data?.placeOrder?.order);
        // Warm: every buyer's page cached, the order path compiled.
        for (let i = 0; i < 50; i++) {
          await send(tokens.buyer, page, pageOk);
          await send(tokens.surger, page, pageOk);
        }
        for (let i = 0; i < 10; i++) await send(tokens.orderer, order, orderOk);
        const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${erpfront.pid}/status`, 'utf8'))![1]) / 1024;

        const phase = async (surging: boolean): Promise<OverloadPhase> => {
          const ms = options.seconds * 1000;
          const surgeSeconds = options.seconds + 1;
          const surge = surging ? runSurge({ url, headers: headers(tokens.surger), body: page, connections: 100, duration: surgeSeconds }) : undefined;
          if (surge) await new Promise((resolve) => setTimeout(resolve, 500)); // under way before measuring
          const [orders, buyer] = await Promise.all([
            openLoop(200, ms, () => send(tokens.orderer, order, orderOk)),
            openLoop(50, ms, () => send(tokens.buyer, page, pageOk)),
          ]);
          const surged = await surge;
          return {
            orders: summarize(orders),
            buyer: summarize(buyer),
            surge: surged && { servedPerSecond: (surged.statuses['200'] ?? 0) / surgeSeconds, shedPerSecond: (surged.statuses['503'] ?? 0) / surgeSeconds },
            rssMb: rss(),
          };
        };
        results[name] = { calm: await phase(false), surge: await phase(true) };
      } finally {
        erpfront.kill('SIGKILL');
      }
    }
    return results;
  } finally {
    sandbox.kill('SIGKILL');
  }
}

const fmt = (n: number) => (Number.isNaN(n) ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: 0 }));

/** The scenario's table, in Markdown. */
export function formatOverload(result: Record<keyof typeof SETTINGS, OverloadRun>, seconds: number): string {
  const lines = [
    `## Overload: orders (5/s) and a well-behaved buyer's CatalogPage (20/s) while another buyer surges (100 connections, 10× the throughput bench's 10, closed loop); ${seconds} s per phase`,
    "| load shedding | phase | placeOrder p50 / p99 ms | orders failed | buyer's page p50 / p99 ms (served) | buyer's pages shed | surging buyer: pages served / shed per s | erpfront RSS MB |",
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [name, run] of [
    ['off', result.off],
    ['on (defaults)', result.on],
  ] as const) {
    for (const [phase, p] of [
      ['calm', run.calm],
      ['surge', run.surge],
    ] as const) {
      const surge = p.surge ? `${fmt(p.surge.servedPerSecond)} / ${fmt(p.surge.shedPerSecond)}` : '—';
      lines.push(
        `| ${name} | ${phase} | ${fmt(p.orders.p50)} / ${fmt(p.orders.p99)} | ${p.orders.failed + p.orders.shed} of ${p.orders.total} | ${fmt(p.buyer.p50)} / ${fmt(p.buyer.p99)} | ${p.buyer.shed} of ${p.buyer.total} | ${surge} | ${fmt(p.rssMb)} |`,
      );
    }
  }
  return lines.join('\n');
}

if (import.meta.main) {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  console.log(`erpfront overload bench; ${pinLoadGenerator()}`);
  console.log(formatOverload(await benchOverload({ seconds }), seconds));
}
