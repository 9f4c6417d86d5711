/**
 * Benchmark plumbing: servers in their own processes pinned to one core, load from this process
 * pinned to the other (when taskset exists), alternating rounds, medians.
 */
import autocannon from 'autocannon';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { ERPFRONT_NODE_OPTIONS } from '../src/entry/node-options.ts';

export interface Round {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Pins this process (the load generator) to core 1, leaving core 0 to the server under test. */
export function pinLoadGenerator(): string {
  if (!hasTaskset) return 'taskset not found: server and load share all cores';
  execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  return 'server pinned to core 0, load generator to core 1';
}

/** Gives this process (and what it starts from now on) both cores again, for runs that are not load tests. */
export function releaseCores(): void {
  if (hasTaskset) execFileSync('taskset', ['-p', '-c', '0,1', String(process.pid)], { stdio: 'ignore' });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node <args>` on `core` (default 0; under `wrapper`, a command and its arguments, if
 * given) and waits until it prints `ready`. erpfront's own entries run with the `NODE_OPTIONS`
 * that `npm run serve` gives them (its V8 options first, then any given here or inherited).
 */
export async function startServer(args: string[], env: Record<string, string>, ready: RegExp, wrapper: string[] = [], core = '0'): Promise<ChildProcess> {
  const command = hasTaskset ? 'taskset' : (wrapper[0] ?? process.execPath);
  const argv = hasTaskset ? ['-c', core, ...wrapper, process.execPath, ...args] : [...wrapper.slice(1), ...(wrapper.length ? [process.execPath] : []), ...args];
  const erpfront = args.some((arg) => /src\/entry\/(node|dev)\.ts$/.test(arg));
  const nodeOptions = [erpfront ? ERPFRONT_NODE_OPTIONS : '', process.env.NODE_OPTIONS ?? '', env.NODE_OPTIONS ?? ''].filter(Boolean).join(' ');
  const child = spawn(command, argv, { env: { ...process.env, ...env, NODE_OPTIONS: nodeOptions }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const onData = (chunk: Buffer) => {
    output += chunk;
    if (ready.test(output)) started();
  };
  let started = () => {};
  await new Promise<void>((resolve, reject) => {
    started = resolve;
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`)));
  });
  // Once started, its output is drained and dropped. Kept and searched, it grew by each request's
  // log line, and the search copied all of it for every chunk (quadratic, in the load generator's
  // process); read slowly, the pipe filled and the server's synchronous log writes waited on it:
  // erpfront, which logs every request, was held to ~1,500 pages a second whatever its own cost.
  child.stdout!.off('data', onData);
  child.stderr!.off('data', onData);
  child.stdout!.resume();
  child.stderr!.resume();
  output = '';
  return child;
}

export async function load(url: string, init: { headers: Record<string, string>; body: string }, seconds: number): Promise<Round> {
  const result = await autocannon({ url, method: 'POST', headers: init.headers, body: init.body, connections: 10, duration: seconds });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/**
 * An open-loop load at `perSecond` requests a second: one request every 1/perSecond s over a
 * keep-alive pool of `connections` sockets, `amount` in all, each timed from its own send to the
 * end of its answer. autocannon's `overallRate` was not a steady rate here: it sends its
 * connections' requests together, and a trivial query answered in under a millisecond showed a
 * p50 of 4 ms and a p99 of 42–46 ms in some runs (2 ms in others); this sender gave 2–10 ms.
 */
export async function pacedLoad(
  url: string,
  init: { headers: Record<string, string>; body: string },
  options: { perSecond: number; amount: number; connections: number },
): Promise<Round> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const headers = { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) };
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  try {
    await new Promise<void>((resolve) => {
      let sent = 0;
      let settled = 0;
      const settle = () => {
        if (++settled === options.amount) resolve();
      };
      const send = () => {
        const sentAt = performance.now();
        // Once per request, whichever comes first: its answer's end, or a failure before or during it.
        let over = false;
        const finish = (failed: boolean) => {
          if (over) return;
          over = true;
          if (failed) errors++;
          else latencies.push(performance.now() - sentAt);
          settle();
        };
        const req = request(url, { method: 'POST', agent, headers }, (res) => {
          if (res.statusCode !== 200) errors++;
          res.on('end', () => finish(false));
          res.on('error', () => finish(true));
          res.resume();
        });
        req.on('error', () => finish(true));
        req.end(init.body);
      };
      // Each send is due at its own time from the start, so a late timer does not shift the rest.
      const tick = () => {
        const due = Math.min(options.amount, Math.floor(((performance.now() - started) * options.perSecond) / 1000) + 1);
        while (sent < due) {
          sent++;
          send();
        }
        if (sent < options.amount) setTimeout(tick, Math.max(0, (sent * 1000) / options.perSecond - (performance.now() - started)));
      };
      tick();
    });
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors };
}

/** A process's user + system CPU time so far, in µs (Linux /proc). */
export function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(rounds: Round[]) {
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    errors: rounds.reduce((s, r) => s + r.errors, 0),
  };
}
