/**
 * A real Tryton for tests, started by the project's own script (`scripts/tryton/start-tryton.sh`)
 * on a free port in a directory of its own, so test files never share (or stop) each other's ERP.
 *
 * Creating the database and loading the demo data takes about 20 s; it is done once per day into
 * a template directory (under a lock, since test files run in parallel), and each Tryton starts
 * from a copy of it in about a second. The day is part of the template's name because the demo
 * data is dated (the incoming receipt is due in 7 days).
 *
 * Without Tryton installed, the suites skip loudly on a laptop; under `CI=true` they fail.
 *
 * @module
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const script = join(root, 'scripts/tryton/start-tryton.sh');

/** The packages `.ci/run` installs (README "Run against Tryton"). */
export const TRYTON_PACKAGES =
  'tryton-server tryton-proteus tryton-modules-sale-price-list tryton-modules-sale-credit-limit tryton-modules-sale-stock-quantity tryton-modules-stock-forecast tryton-modules-sale-shipment-cost tryton-modules-account-invoice curl';

/**
 * How long tests let a Tryton call take (the connector's default is 5 s). A test Tryton is one
 * Python process; with other test files running beside it, its first calls (a login hashes the
 * password, a cold model loads) can take longer than that, and a timeout there is not what any
 * Tryton test is about. Tests about timeouts set their own.
 */
export const TRYTON_TEST_TIMEOUT_MS = 15_000;

/** The API user `setup_demo.py` creates. */
export const TRYTON_USER = { username: 'webstore', password: 'WebShopApi-2024x' };

/** Whether trytond, proteus and the modules the demo needs are installed. */
export function trytonInstalled(): boolean {
  const probe = spawnSync(
    'bash',
    [
      '-c',
      'command -v trytond >/dev/null && command -v trytond-admin >/dev/null && /usr/bin/python3 -c "import proteus, trytond.modules.sale_credit_limit, trytond.modules.sale_price_list"',
    ],
    {
      stdio: 'ignore',
    },
  );
  return probe.status === 0;
}

/**
 * Whether the Tryton suites run here. Not installed: a loud warning on a laptop (the suite is
 * skipped), an error under `CI=true` (CI must never skip them).
 */
export function trytonAvailable(suite: string): boolean {
  if (trytonInstalled()) return true;
  const how = `apt-get install -y --no-install-recommends ${TRYTON_PACKAGES}`;
  if (process.env.CI === 'true') throw new Error(`${suite}: Tryton is not installed, and CI=true must not skip it. Install it with: ${how}`);
  console.warn(`\n⚠️  SKIPPING ${suite}: Tryton 6.0 is not installed. Install it (Debian 12) with:\n    ${how}\n`);
  return false;
}

/** The ids `setup_demo.py` printed. */
export interface DemoIds {
  company_id: number;
  price_list_id: number;
  payment_term_id: number;
  warehouses: Record<string, number>;
  customers: Record<string, number>;
  products: Record<string, number>;
}

export interface RunningTryton {
  /** The database URL, e.g. `http://127.0.0.1:41234/demo/`. */
  url: string;
  port: number;
  dir: string;
  ids: DemoIds;
  /** Stops trytond (the ERP is down: connections are refused). */
  stop(): Promise<void>;
  /** Starts it again on the same database and port. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function runScript(command: 'start' | 'stop', dir: string, port: number): Promise<string> {
  try {
    const { stdout, stderr } = await run('bash', [script, command], {
      env: { ...process.env, TRYTON_DIR: dir, TRYTON_PORT: String(port) },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout + stderr;
  } catch (error) {
    const log = existsSync(join(dir, 'trytond.log')) ? readFileSync(join(dir, 'trytond.log'), 'utf8').slice(-2000) : '';
    throw new Error(`start-tryton.sh ${command} failed: ${String(error)}\n${log}`, { cause: error });
  }
}

/**
 * The template directory of today's demo database, created once (under a lock). Started at the
 * beginning of a run too (tryton-template-setup.ts), so no test file waits the whole build.
 */
export async function trytonTemplate(): Promise<string> {
  const today = new Date().toISOString().slice(0, 10);
  const version = createHash('sha256')
    .update(readFileSync(script))
    .update(readFileSync(join(root, 'scripts/tryton/setup_demo.py')))
    .digest('hex')
    .slice(0, 12);
  const dir = join(tmpdir(), `erpfront-tryton-template-${today}-${version}`);
  const ready = join(dir, 'ready');
  const lock = `${dir}.lock`;
  for (const started = Date.now(); !existsSync(ready); ) {
    try {
      mkdirSync(lock);
    } catch {
      // Someone else builds it; a lock older than 5 minutes is a crashed builder's.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() - started > 300_000) throw new Error(`waited 5 minutes for ${dir}`);
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (!existsSync(ready)) {
        rmSync(dir, { recursive: true, force: true });
        const port = await freePort();
        await runScript('start', dir, port);
        await runScript('stop', dir, port);
        copyFileSync(join(dir, 'demo-ids.json'), ready);
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return dir;
}

/** Starts a Tryton of its own, on a copy of the demo database. */
export async function startTryton(): Promise<RunningTryton> {
  const source = await trytonTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'erpfront-tryton-'));
  mkdirSync(join(dir, 'db'));
  copyFileSync(join(source, 'db', 'demo.sqlite'), join(dir, 'db', 'demo.sqlite'));
  copyFileSync(join(source, 'demo-ids.json'), join(dir, 'demo-ids.json'));
  const port = await freePort();
  await runScript('start', dir, port);
  const ids = JSON.parse(readFileSync(join(dir, 'demo-ids.json'), 'utf8')) as DemoIds;
  return {
    url: `http://127.0.0.1:${port}/demo/`,
    port,
    dir,
    ids,
    stop: async () => void (await runScript('stop', dir, port)),
    start: async () => void (await runScript('start', dir, port)),
    close: async () => {
      await runScript('stop', dir, port);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** erpfront in its own process in front of a running Tryton, with GraphQL helpers. */
export async function startErpfrontOnTryton(tryton: RunningTryton, env: Record<string, string> = {}) {
  const { randomBytes } = await import('node:crypto');
  const { signToken } = await import('../../scripts/sign-token.ts');
  const { startErpfrontProcess } = await import('./processes.ts');
  const secret = randomBytes(32).toString('base64url');
  const erpfront = await startErpfrontProcess({
    ERP_CONNECTOR: 'tryton',
    ERP_URL: tryton.url,
    ERP_USERNAME: TRYTON_USER.username,
    ERP_PASSWORD: TRYTON_USER.password,
    AUTH_JWT_SECRET: secret,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-test-')),
    ERP_TIMEOUT_MS: String(TRYTON_TEST_TIMEOUT_MS),
    ...env,
  });
  return {
    erpfront,
    buyerToken: (customerId: string) => signToken({ secret, roles: ['buyer'], customerId }),
    repToken: (repId: string) => signToken({ secret, roles: ['rep'], repId }),
    opsToken: () => signToken({ secret, roles: ['ops'], subject: 'ops@erpfront' }),
    /** Any token this erpfront accepts (an applicant's, a new customer's buyer). */
    token: (request: Omit<Parameters<typeof signToken>[0], 'secret'>) => signToken({ secret, ...request }),
    /** POSTs a GraphQL request; rejects on GraphQL errors unless `allowErrors`. */
    async graphql<T = any>(query: string, variables: Record<string, unknown>, token: string, allowErrors = false): Promise<T> {
      const response = await fetch(`${erpfront.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: unknown };
      if (body.errors && !allowErrors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data as T;
    },
    close: () => erpfront.stop(),
  };
}
