/**
 * The system a fault campaign runs against, as processes: the ERP (the sandbox, or a real
 * Tryton), an optional Redis with the README's durable settings, and one or more erpfront
 * instances. The nemesis kills and restarts its parts; the invariants read the ERP's own list.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../../scripts/sign-token.ts';
import { startErpfrontProcess, startSandboxProcess, type NodeProcess } from '../../test/support/processes.ts';
import { startRedisServer, type RedisServer } from '../../test/support/redis.ts';
import { erpOrderBook, type ErpBook } from './erp-book.ts';

export type { ErpOrder } from './erp-book.ts';

export type Mode = 'redis' | 'embedded' | 'tryton';

export interface TopologyOptions {
  mode: Mode;
  instances: number;
  /** Environment for every erpfront instance (on top of what the topology sets). */
  erpfrontEnv: Record<string, string>;
  /** Environment for the sandbox ERP process. */
  sandboxEnv: Record<string, string>;
}

export interface Topology {
  readonly mode: Mode;
  readonly instanceCount: number;
  /** Instance `i`'s base URL (a dead instance's URL refuses connections). */
  url(i: number): string;
  alive(i: number): boolean;
  /** `kill -9` of instance `i`. */
  kill(i: number): Promise<void>;
  /** Starts instance `i` again with the same environment (and DATA_DIR). */
  start(i: number): Promise<void>;
  /** The shared Redis, in modes that have one. */
  readonly redis: RedisServer | null;
  readonly erp: ErpBook;
  buyerToken(customerId: string): Promise<string>;
  opsToken(): Promise<string>;
  /** The last lines an instance printed (for a report on a violation). */
  output(i: number): string;
  close(): Promise<void>;
}

/** Starts the ERP, Redis where the mode needs it, then the instances. */
export async function startTopology(options: TopologyOptions): Promise<Topology> {
  const closers: Array<() => Promise<void>> = [];
  try {
    const secret = randomBytes(32).toString('base64url');
    const useRedis = options.mode === 'redis' || (options.mode === 'tryton' && options.instances > 1);
    const redis = useRedis ? await startRedisServer() : null;
    if (redis) closers.push(() => redis.stop());
    const { erp, env: erpEnv } = await startErp(options);
    closers.push(() => erp.close());

    // Embedded: one DATA_DIR, kept across kill -9 and restart (its SQLite queue is the order store).
    const envs = Array.from({ length: options.instances }, () => ({
      AUTH_JWT_SECRET: secret,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-chaos-')),
      ...erpEnv,
      ...(redis ? { REDIS_URL: redis.url } : {}),
      ...options.erpfrontEnv,
    }));
    const processes: NodeProcess[] = await Promise.all(envs.map((e) => startErpfrontProcess(e)));
    closers.push(async () => void (await Promise.all(processes.map((p) => p.stop()))));
    const dead = new Set<number>();

    return {
      mode: options.mode,
      instanceCount: options.instances,
      redis,
      erp,
      url: (i) => processes[i]!.url,
      alive: (i) => !dead.has(i),
      async kill(i) {
        dead.add(i);
        await processes[i]!.stop('SIGKILL');
      },
      async start(i) {
        processes[i] = await startErpfrontProcess(envs[i]!);
        dead.delete(i);
      },
      buyerToken: (customerId) => signToken({ secret, roles: ['buyer'], customerId }),
      opsToken: () => signToken({ secret, roles: ['ops'], subject: 'ops@erpfront-chaos' }),
      output: (i) => processes[i]!.output().slice(-4000),
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

async function closeAll(closers: Array<() => Promise<void>>): Promise<void> {
  for (const close of closers.reverse()) await close().catch(() => {});
}

async function startErp(options: TopologyOptions): Promise<{ erp: ErpBook; env: Record<string, string> }> {
  if (options.mode !== 'tryton') {
    const sandbox = await startSandboxProcess(options.sandboxEnv);
    return { erp: erpOrderBook.sandbox(sandbox), env: { ERP_URL: sandbox.url } };
  }
  const { startTryton, TRYTON_USER } = await import('../../test/support/tryton.ts');
  const tryton = await startTryton();
  return {
    erp: erpOrderBook.tryton(tryton),
    env: { ERP_CONNECTOR: 'tryton', ERP_URL: tryton.url, ERP_USERNAME: TRYTON_USER.username, ERP_PASSWORD: TRYTON_USER.password },
  };
}
