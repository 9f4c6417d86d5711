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
 * A process that loads erpfront's lock code, says READY, then waits for an instant (epoch ms) on
 * stdin, busy-waits until it (so all start within a millisecond), takes the DATA_DIR lock the way
 * erpfront does, says whether it got it, and holds it `holdMs`. `go(at)` sends the instant.
 */
function locker(dataDir: string, holdMs: number) {
  const script = `
    import { lockDataDir } from './src/backends/data-dir-lock.ts';
    console.log('READY');
    process.stdin.once('data', (line) => {
      const at = Number(String(line));
      while (Date.now() < at) {}
      try { lockDataDir(${JSON.stringify(dataDir)}); console.log('LOCKED'); } catch (error) { console.log('REFUSED ' + error.message); }
      process.stdin.pause();
      setTimeout(() => {}, ${holdMs});
    });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const when = (pattern: RegExp) =>
    new Promise<string>((resolve) => {
      const check = setInterval(() => {
        if (pattern.test(output) || child.exitCode !== null) clearInterval(check), resolve(output);
      }, 5);
    });
  const ready = when(/READY/);
  const said = when(/LOCKED|REFUSED/);
  const go = (at: number) => child.stdin.end(`${at}\n`);
  return { child, ready, said, go };
}

/** Starts lockers on `dataDir` and, once every one has loaded, has them take the lock at one instant. */
async function lockAtOnce(dataDir: string, count: number, holdMs: number) {
  const lockers = Array.from({ length: count }, () => locker(dataDir, holdMs));
  await Promise.all(lockers.map((l) => l.ready));
  // A few milliseconds ahead: each has read the instant before it comes.
  const at = Date.now() + 100;
  for (const l of lockers) l.go(at);
  return lockers;
}

describe('the DATA_DIR lock', () => {
  it('two processes taking it at the same instant, over a stale lock of a holder killed -9, 10 rounds: exactly one gets it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'erpfront-lock-'));
    const [first] = await lockAtOnce(dataDir, 1, 60_000);
    expect(await first!.said).toMatch(/LOCKED/);
    first!.child.kill('SIGKILL');
    await new Promise((r) => first!.child.once('exit', r));
    for (let round = 1; round <= 10; round++) {
      const lockers = await lockAtOnce(dataDir, 2, 60_000);
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
