/**
 * erpfront refuses to keep orders in a Redis that would lose them (no append-only file, or not
 * fsynced on every write), saying what to set; an explicit override starts it with a warning.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startErpfrontProcess, startNodeProcess, startSandboxProcess, type NodeProcess } from '../support/processes.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis.ts';

const available = redisServerAvailable('scale-out-durability');

describe.skipIf(!available)('Redis durability check at start', () => {
  let volatile: RedisServer;
  let sandbox: NodeProcess;
  const env = () => ({
    ERP_URL: sandbox.url,
    AUTH_JWT_SECRET: 'x'.repeat(40),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-durability-')),
    REDIS_URL: volatile.url,
  });

  beforeAll(async () => {
    volatile = await startRedisServer({ appendonly: false });
    sandbox = await startSandboxProcess();
  });
  afterAll(async () => {
    await sandbox?.stop();
    await volatile?.stop();
  });

  it('refuses to start on a Redis without appendonly, naming the settings to change', async () => {
    const failure = await startNodeProcess('src/entry/node.ts', { PORT: '0', ...env() }, /GraphQL at (http:\/\/\S+)\/graphql/).then(
      (p) => p.stop().then(() => null),
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/exited/);
    expect(failure).toMatch(/Refusing to keep orders in this Redis: appendonly is "no"/);
    expect(failure).toMatch(/appendfsync always/);
    expect(failure).toMatch(/REDIS_ALLOW_VOLATILE_ORDERS=true/);
  });

  it('starts with a warning when told to accept it', async () => {
    const erpfront = await startErpfrontProcess({ ...env(), REDIS_ALLOW_VOLATILE_ORDERS: 'true' });
    try {
      expect(erpfront.output()).toMatch(/REDIS_ALLOW_VOLATILE_ORDERS=true: keeping orders in a Redis that can lose them/);
      expect((await fetch(`${erpfront.url}/healthz`)).status).toBe(200);
    } finally {
      await erpfront.stop();
    }
  });
});
