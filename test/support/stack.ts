/**
 * A running erpfront in front of a running sandbox ERP, each in its own process, over real HTTP on
 * 127.0.0.1, with helpers to call GraphQL as a buyer or a rep and to drive the sandbox's faults.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../../scripts/sign-token.ts';
import { startErpfrontProcess, startSandboxProcess } from './processes.ts';

export interface GraphQLAnswer<T = any> {
  status: number;
  /** The JSON body; `any` because tests read whatever the server sent, right or wrong. */
  body: { data?: T; errors?: any } & Record<string, any>;
  headers: Headers;
}

export interface SandboxStats {
  total: number;
  byOperation: Record<string, number>;
  inFlight: number;
  maxInFlight: number;
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/**
 * The sandbox ERP's control endpoint at `sandboxUrl` (faults, stats, its order book): a GET, or a
 * POST of `body`; its JSON answer, or an error naming the call.
 */
export function sandboxControl(sandboxUrl: string) {
  return async (path: string, body?: unknown) => {
    const response = await fetch(
      `${sandboxUrl}/__control/${path}`,
      body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
    );
    if (!response.ok) throw new Error(`sandbox control ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
}

export async function startStack(env: Record<string, string> = {}, options: { sandboxEnv?: Record<string, string> } = {}) {
  const sandbox = await startSandboxProcess(options.sandboxEnv);
  const secret = randomBytes(32).toString('base64url');
  const erpfrontEnv = { ERP_URL: sandbox.url, AUTH_JWT_SECRET: secret, DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-test-')), ...env };
  let erpfront = await startErpfrontProcess(erpfrontEnv);

  const control = sandboxControl(sandbox.url);

  const stack = {
    sandbox,
    /** The running erpfront process (replaced by `restartErpfront`). */
    get erpfront() {
      return erpfront;
    },
    secret,
    opsToken: () => signToken({ secret, roles: ['ops'], subject: 'ops@erpfront' }),
    /** Kills erpfront (SIGKILL: no chance to clean up), then starts it again on the same DATA_DIR. */
    async crashAndRestartErpfront(beforeRestart?: () => Promise<void>) {
      await erpfront.stop('SIGKILL');
      await beforeRestart?.();
      erpfront = await startErpfrontProcess(erpfrontEnv);
    },
    buyerToken: (customerId: string) => signToken({ secret, roles: ['buyer'], customerId }),
    repToken: (repId: string) => signToken({ secret, roles: ['rep'], repId }),
    async graphql<T = any>(
      query: string,
      variables: Record<string, unknown> = {},
      options: { token?: string | null; headers?: Record<string, string> } = {},
    ): Promise<GraphQLAnswer<T>> {
      const token = options.token === undefined ? await stack.buyerToken('C0001') : options.token;
      const response = await fetch(`${erpfront.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          // As a storefront behind a compressing proxy asks: answered by the Node lane
          // (transport/node/graphql-lane.ts), which takes no compressed answers.
          'accept-encoding': 'identity',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...options.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json(), headers: response.headers };
    },
    faults: (faults: Record<string, unknown>) => control('faults', faults),
    stats: () => control('stats') as Promise<SandboxStats>,
    resetSandbox: () => control('reset', {}),
    /** `/metrics`, read as operations do (an ops token). */
    async metrics(): Promise<string> {
      const response = await fetch(`${erpfront.url}/metrics`, { headers: { authorization: `Bearer ${await stack.opsToken()}` } });
      if (!response.ok) throw new Error(`/metrics: ${response.status} ${await response.text()}`);
      return response.text();
    },
    /** `/readyz` with its detail, read as operations do (an ops token). */
    async readyz(): Promise<{ status: number; body: any }> {
      const response = await fetch(`${erpfront.url}/readyz`, { headers: { authorization: `Bearer ${await stack.opsToken()}` } });
      return { status: response.status, body: await response.json() };
    },
    async close() {
      await erpfront.stop();
      await sandbox.stop();
    },
  };
  return stack;
}

/** The sum of a Prometheus counter's samples whose labels include every given label. */
export function counter(metricsText: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.split(' ').at(-1));
  }
  return total;
}

/** SKU-00001 … SKU-000nn. */
export function skus(count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, i) => `SKU-${String(from + i).padStart(5, '0')}`);
}

/** The contract document, verbatim. */
export const CATALOG_PAGE = /* GraphQL */ `
query CatalogPage($skus: [ID!]!, $quantity: Float) {
  products(skus: $skus) {
    sku
    name
    price(quantity: $quantity) { unitPrice { amount currency } source breaks { minQuantity unitPrice { amount } } asOf stale }
    availability(quantity: $quantity) { status available promiseDate warehouses { code available onHand } asOf stale }
  }
  viewer { customer { id name creditStatus { limit { amount currency } available { amount } exposure { amount } onHold asOf stale } } }
}`;
