/**
 * One erpfront process per DATA_DIR, enforced by a lock the kernel holds for the process. Two
 * processes taking the lock at the same instant over a stale lock (its holder killed -9: the case
 * the old pid file let both take over), round after round: exactly one gets it. Real
 * `node src/entry/node.ts` processes on one DATA_DIR, started together: one serves, the other
 * exits at once saying why; a new one starts right after the holder dies; and a leftover pid
 * file naming a live, unrelated process (a reused PID) stops nobody.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startErpfrontProcess, startSandboxProcess, type NodeProcess } from '../support/processes.ts';

let sandbox: NodeProcess;
const running: NodeProcess[] = [];
beforeAll(async () => {
  sandbox = await startSandboxProcess();
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await sandbox?.stop();
});

function envFor(dataDir: string) {
  return { ERP_URL: sandbox.url, AUTH_JWT_SECRET: randomBytes(32).toString('base64url'), DATA_DIR: dataDir };
}

/** Starts two processes on `dataDir` at once; returns the one serving and the refusal of the other. */
async function startTwo(dataDir: string): Promise<{ holder: NodeProcess; refusal: string }> {
  const env = envFor(dataDir);
  const outcomes = await Promise.allSettled([startErpfrontProcess(env), startErpfrontProcess(env)]);
  for (const o of outcomes) if (o.status === 'fulfilled') running.push(o.value);
  const served = outcomes.filter((o): o is PromiseFulfilledResult<NodeProcess> => o.status === 'fulfilled');
  const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  expect(
    served.map((s) => s.value.url),
    refused.map((r) => String(r.reason)).join('\n'),
  ).toHaveLength(1);
  expect(refused).toHaveLength(1);
  return { holder: served[0]!.value, refusal: String(refused[0]!.reason) };
}

const root = new URL('../..', import.meta.url).pathname;

/**
 * A process that waits until `at` (epoch ms, busy-waiting so all start within a millisecond),
 * takes the DATA_DIR lock the way erpfront does, says whether it got it, and holds it `holdMs`.
 */
function locker(dataDir: string, at: number, holdMs: number) {
  const script = `
    import { lockDataDir } from './src/backends/data-dir-lock.ts';
    while (Date.now() < ${at}) {}
    try { lockDataDir(${JSON.stringify(dataDir)}); console.log('LOCKED'); } catch (error) { console.log('REFUSED ' + error.message); }
    setTimeout(() => {}, ${holdMs});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const said = new Promise<string>((resolve) => {
    const check = setInterval(() => {
      if (/LOCKED|REFUSED/.test(output) || child.exitCode !== null) clearInterval(check), resolve(output);
    }, 10);
  });
  return { child, said };
}

describe('the DATA_DIR lock', () => {
  it('two processes taking it at the same instant, over a stale lock of a holder killed -9, 10 rounds: exactly one gets it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'erpfront-lock-'));
    const first = locker(dataDir, 0, 60_000);
    expect(await first.said).toMatch(/LOCKED/);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    for (let round = 1; round <= 10; round++) {
      const at = Date.now() + 700;
      const lockers = Array.from({ length: 2 }, () => locker(dataDir, at, 60_000));
      const said = await Promise.all(lockers.map((l) => l.said));
      expect(
        said.filter((s) => s.includes('LOCKED')),
        said.join(''),
      ).toHaveLength(1);
      expect(said.filter((s) => s.includes('REFUSED'))).toHaveLength(1);
      // Kill them all: the lock is stale again for the next round.
      for (const l of lockers) l.child.kill('SIGKILL');
      await Promise.all(lockers.map((l) => (l.child.exitCode === null && l.child.signalCode === null ? new Promise((r) => l.child.once('exit', r)) : null)));
    }
  }, 90_000);

  it('two processes started at the same instant, 5 rounds, each after the holder was killed -9: exactly one serves', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'erpfront-lock-'));
    for (let round = 1; round <= 5; round++) {
      const { holder, refusal } = await startTwo(dataDir);
      expect(refusal).toMatch(/DATA_DIR .* is in use by/);
      expect(refusal).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
      // The holder serves.
      expect((await fetch(`${holder.url}/healthz`)).status).toBe(200);
      await holder.stop('SIGKILL');
    }
  }, 120_000);

  it('after kill -9 of the holder a new process starts at once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'erpfront-lock-'));
    const first = await startErpfrontProcess(envFor(dataDir));
    running.push(first);
    await first.stop('SIGKILL');
    const started = performance.now();
    const next = await startErpfrontProcess(envFor(dataDir));
    running.push(next);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect((await fetch(`${next.url}/healthz`)).status).toBe(200);
    await next.stop();
  }, 60_000);

  it('a leftover lock file naming a live, unrelated process (a reused PID) does not stop a start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'erpfront-lock-'));
    writeFileSync(join(dataDir, 'erpfront.lock'), String(sandbox.child.pid));
    const next = await startErpfrontProcess(envFor(dataDir));
    running.push(next);
    expect((await fetch(`${next.url}/healthz`)).status).toBe(200);
    await next.stop();
  }, 60_000);
});
