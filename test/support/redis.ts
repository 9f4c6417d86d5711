/**
 * Real redis-server instances for tests, each on its own free port and directory, started and
 * stopped by pid (never the machine's own Redis on 6379).
 *
 * Without redis-server on the machine, Redis suites skip loudly; under `CI=true` they fail
 * (`.ci/run` installs redis-server).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { signToken } from '../../scripts/sign-token.ts';
import { startErpfrontProcess, startSandboxProcess, type NodeProcess } from './processes.ts';
import { sandboxControl, type SandboxStats, type Stack } from './stack.ts';

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  pid(): number | undefined;
  /** Stops it: SIGTERM (a clean shutdown) or SIGKILL (a crash). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and directory (its append-only file is read back). */
  start(): Promise<void>;
}

/** Whether redis-server can run here; throws under CI, where it must. */
export function redisServerAvailable(suite: string): boolean {
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (found) return true;
  const message = `redis-server is not installed: the Redis suite "${suite}" cannot run (apt-get install -y --no-install-recommends redis-server).`;
  if (process.env.CI === 'true') throw new Error(`${message} Under CI=true nothing is skipped.`);
  console.warn(`\n!!! SKIPPED: ${message}\n`);
  return false;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts a redis-server with the durable settings erpfront requires for orders, unless told otherwise. */
export async function startRedisServer(
  options: { appendonly?: boolean; appendfsync?: 'always' | 'everysec' | 'no'; maxmemoryPolicy?: string } = {},
): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'erpfront-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--dir',
    dir,
    '--appendonly',
    options.appendonly === false ? 'no' : 'yes',
    '--appendfsync',
    options.appendfsync ?? 'always',
    ...(options.maxmemoryPolicy ? ['--maxmemory-policy', options.maxmemoryPolicy] : []),
  ];
  let child: ChildProcess | null = null;
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    pid: () => child?.pid,
    async start() {
      const started = spawn('redis-server', args, { stdio: 'ignore' });
      child = started;
      const deadline = Date.now() + 10_000;
      for (;;) {
        if (started.exitCode !== null) throw new Error(`redis-server on ${port} exited with ${started.exitCode}`);
        if (await ping(port)) return;
        if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer within 10 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop(signal = 'SIGTERM') {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null || running.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        running.once('exit', () => resolve());
        running.kill(signal);
      });
    },
  };
  await server.start();
  return server;
}

async function ping(port: number): Promise<boolean> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** What the scale-out tests run: one Redis, one sandbox ERP, several erpfront processes sharing them. */
export interface ScaleOut {
  redis: RedisServer;
  sandbox: NodeProcess;
  instances: NodeProcess[];
  /** A Stack-shaped view of instance `i` (for the order helpers: graphql, sandbox, opsToken). */
  stack(i: number): Stack;
  secret: string;
  buyerToken(customerId: string): Promise<string>;
  opsToken(): Promise<string>;
  faults(faults: Record<string, unknown>): Promise<unknown>;
  stats(): Promise<SandboxStats>;
  /** Starts instance `i` again (after a kill), same environment. */
  restart(i: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts Redis (appendonly yes, appendfsync always), the sandbox ERP and `count` erpfront instances. */
export async function startScaleOut(
  count: number,
  env: Record<string, string> = {},
  options: { sandboxEnv?: Record<string, string> /** Instance `i`'s own settings (a fixed PORT). */; instanceEnv?: (i: number) => Record<string, string> } = {},
): Promise<ScaleOut> {
  const redis = await startRedisServer();
  const sandbox = await startSandboxProcess(options.sandboxEnv);
  const secret = randomBytes(32).toString('base64url');
  const envFor = (_: unknown, i: number) => ({
    ERP_URL: sandbox.url,
    AUTH_JWT_SECRET: secret,
    REDIS_URL: redis.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-scale-')),
    ...env,
    ...options.instanceEnv?.(i),
  });
  const envs = Array.from({ length: count }, envFor);
  const instances = await Promise.all(envs.map((e) => startErpfrontProcess(e)));
  const control = sandboxControl(sandbox.url);
  const opsToken = () => signToken({ secret, roles: ['ops'], subject: 'ops@erpfront' });
  const scale: ScaleOut = {
    redis,
    sandbox,
    instances,
    secret,
    opsToken,
    buyerToken: (customerId) => signToken({ secret, roles: ['buyer'], customerId }),
    stack(i) {
      return {
        sandbox,
        opsToken,
        async graphql(query: string, variables: Record<string, unknown> = {}, options: { token?: string | null; headers?: Record<string, string> } = {}) {
          const token = options.token === undefined ? await scale.buyerToken('C0001') : options.token;
          const response = await fetch(`${instances[i]!.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
            body: JSON.stringify({ query, variables }),
          });
          return { status: response.status, body: await response.json(), headers: response.headers };
        },
      } as unknown as Stack;
    },
    faults: (faults) => control('faults', faults),
    stats: () => control('stats') as Promise<SandboxStats>,
    async restart(i) {
      await instances[i]!.stop('SIGKILL');
      instances[i] = await startErpfrontProcess(envs[i]!);
    },
    async close() {
      await Promise.all(instances.map((p) => p.stop()));
      await sandbox.stop();
      await redis.stop();
    },
  };
  return scale;
}
