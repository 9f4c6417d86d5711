/**
 * A randomized fault campaign (issue 9): N orders from concurrent clients that retry with the same
 * key on every transient answer, against erpfront instances and an ERP, while a seeded nemesis
 * injects faults; then heal, drain, and check every invariant against the ERP's own list.
 *
 * Used by `npm run chaos` (`main.ts`), by `npm run bench` and by `test/e2e/chaos.test.ts`.
 *
 * @module
 */
import { counter, type Stack } from '../../test/support/stack.ts';
import { queue } from '../../test/support/orders.ts';
import { placeAll } from './clients.ts';
import { checkInvariants } from './invariants.ts';
import { faultSchedule, Nemesis } from './nemesis.ts';
import { availability, type CampaignReport } from './report.ts';
import { startTopology, type Mode, type Topology } from './topology.ts';
import { prepareOrders } from './workload.ts';

export interface CampaignOptions {
  mode: Mode;
  seed: number;
  orders: number;
  /** erpfront instances (redis: 3; embedded: 1; tryton: 1, or 2 sharing a Redis). */
  instances?: number;
  /** Concurrent clients (default 20). */
  clients?: number;
  /** Orders started per second at most (default 10), so the faults land among them. */
  rate?: number;
  /** After healing, how long the queue may take to drain before an order counts as stuck. */
  drainBoundMs?: number;
  /** Progress lines (faults as injected, phases); default none. */
  log?: (line: string) => void;
}

/** erpfront's ERP timeout and the ERP's own request limit: short, so the run stays short. */
const ERP_TIMEOUT_MS = 800;
const SANDBOX_MAX_REQUEST_MS = 3000;

function settings(mode: Mode): { erpfront: Record<string, string>; sandbox: Record<string, string> } {
  const common = {
    ORDER_LEASE_SECONDS: '3',
    IDEMPOTENCY_CLAIM_SECONDS: '3',
    BREAKER_COOLDOWN_SECONDS: '1',
    ERP_REQUESTS_PER_SECOND: '200',
    // Over the limit is refused, not held: every accepted order is meant for the ERP.
    CREDIT_OVER_LIMIT: 'BLOCK',
    ORDER_SUBMIT_WAIT_MS: '1000',
  };
  if (mode === 'tryton') {
    // Tryton takes ~0.4 s per order; its requests die with the process the nemesis stops.
    return { erpfront: { ...common, ERP_TIMEOUT_MS: '5000', ERP_MAX_REQUEST_SECONDS: '10' }, sandbox: {} };
  }
  return {
    erpfront: { ...common, ERP_TIMEOUT_MS: String(ERP_TIMEOUT_MS), ERP_MAX_REQUEST_SECONDS: String(Math.ceil(SANDBOX_MAX_REQUEST_MS / 1000) + 1) },
    sandbox: { SANDBOX_MAX_REQUEST_MS: String(SANDBOX_MAX_REQUEST_MS) },
  };
}

const DEFAULT_INSTANCES: Record<Mode, number> = { redis: 3, embedded: 1, tryton: 1 };

export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const log = options.log ?? (() => {});
  const instances = options.mode === 'embedded' ? 1 : (options.instances ?? DEFAULT_INSTANCES[options.mode]);
  const clients = options.clients ?? 20;
  const rate = options.rate ?? 10;
  const env = settings(options.mode);
  const started = Date.now();
  log(`starting ${options.mode}: ${instances} instance(s), seed ${options.seed}`);
  const topology = await startTopology({ mode: options.mode, instances, erpfrontEnv: env.erpfront, sandboxEnv: env.sandbox });
  try {
    const specs = await prepareOrders(topology, options.seed, options.orders);
    const before = new Set((await topology.erp.orders()).map((o) => o.number));
    const faultNames = await topology.erp.faultNames();
    const nemesis = new Nemesis(
      topology,
      faultSchedule(options.seed, {
        instances,
        redis: topology.redis !== null,
        sandboxFaults: topology.erp.kind === 'sandbox',
        erpTimeoutMs: Number(env.erpfront.ERP_TIMEOUT_MS),
        erpMaxRequestMs: SANDBOX_MAX_REQUEST_MS,
        // Tryton needs seconds to come back, and takes ~0.4 s per order: fewer faults, further apart.
        gapMs: options.mode === 'tryton' ? [2000, 6000] : [300, 2500],
      }),
      { orderLatency: faultNames.has('orderLatencyMs'), log },
    );
    const setupDone = Date.now();
    log(`${specs.length} orders for ${new Set(specs.map((s) => s.customerId)).size} customers; faults on`);

    nemesis.start();
    const records = await placeAll(topology, specs, { seed: options.seed, clients, giveUpMs: 180_000, requestTimeoutMs: 30_000, rate }).finally(() =>
      nemesis.stop(),
    );
    const runDone = Date.now();
    log(`every client done; healed; draining`);

    const stack = opsStack(topology);
    // The breaker's cooldown doubles up to 2 minutes across repeated outages: the bound covers it.
    const drainBound = options.drainBoundMs ?? 150_000;
    let stuck = await queue(stack, ['QUEUED']);
    for (const deadline = Date.now() + drainBound; stuck.length > 0 && Date.now() < deadline; stuck = await queue(stack, ['QUEUED'])) {
      await new Promise((r) => setTimeout(r, 500));
    }
    // A createOrder the ERP was still working on commits within its own limit: wait that out,
    // so a late second copy is in the list the invariants read.
    await new Promise((r) => setTimeout(r, SANDBOX_MAX_REQUEST_MS + 500));
    const erpOrders = (await topology.erp.orders()).filter((o) => !before.has(o.number));
    const notForErp = new Map((await queue(stack, ['REJECTED', 'ON_HOLD', 'CANCELLED'])).map((o) => [o.id, o.status]));
    const invariants = checkInvariants({ records, erpOrders, stuck, notForErp });
    const healDone = Date.now();

    const report: CampaignReport = {
      seed: options.seed,
      mode: options.mode,
      orders: options.orders,
      instances,
      clients,
      rate,
      settings: {
        ...env.erpfront,
        ...env.sandbox,
        ...(topology.erp.kind === 'sandbox'
          ? { slowCommitFault: faultNames.has('orderLatencyMs') ? 'orderLatencyMs' : 'latencyMs (this sandbox has no orderLatencyMs)' }
          : {}),
      },
      wallMs: { setup: setupDone - started, run: runDone - setupDone, heal: healDone - runDone, total: healDone - started },
      faults: nemesis.counts,
      nemesisErrors: nemesis.errors,
      invariants,
      availability: availability(records),
      duplicatesMetric: await duplicatesMetric(topology),
      replay: `npm run chaos -- --mode ${options.mode} --seed ${options.seed} --orders ${options.orders} --instances ${instances} --clients ${clients} --rate ${rate}`,
      ok: false,
      instanceLogs: [],
      records,
    };
    report.ok = invariants.every((i) => i.violations.length === 0) && nemesis.errors.length === 0;
    if (!report.ok) report.instanceLogs = Array.from({ length: instances }, (_, i) => topology.output(i).slice(-2000));
    return report;
  } finally {
    await topology.close();
  }
}

/** The order helpers' view of instance 0 (ops queries over GraphQL). */
function opsStack(topology: Topology): Stack {
  return {
    opsToken: () => topology.opsToken(),
    async graphql(query: string, variables: Record<string, unknown> = {}, options: { token?: string | null } = {}) {
      const response = await fetch(`${topology.url(0)}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json(), headers: response.headers };
    },
  } as unknown as Stack;
}

async function duplicatesMetric(topology: Topology): Promise<number | null> {
  let total: number | null = null;
  const headers = { authorization: `Bearer ${await topology.opsToken()}` };
  for (let i = 0; i < topology.instanceCount; i++) {
    const text = await (await fetch(`${topology.url(i)}/metrics`, { headers })).text();
    if (!text.includes('erpfront_erp_duplicate_orders_total')) continue;
    total = (total ?? 0) + counter(text, 'erpfront_erp_duplicate_orders_total');
  }
  return total;
}
