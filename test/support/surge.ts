/**
 * A surge of requests from a process of its own (autocannon), so that the process measuring
 * latency beside it is not the one saturated by generating the load. It runs at a lower CPU
 * priority (`nice`) where available: on a 2-core machine the surge must not slow down the clocks
 * of the clients being measured, only erpfront.
 *
 * `runSurge(options)` starts it and resolves with autocannon's result; run as a script, it reads
 * the options as JSON from its first argument and prints the result as JSON.
 */
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface SurgeOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  /** How long, in seconds: a surge is always bounded in time. */
  duration: number;
  /** Requests per second over all connections (open loop); default: as fast as answers come (closed loop). */
  overallRate?: number;
}

export interface SurgeResult {
  requestsPerSecond: number;
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  errors: number;
  p50: number;
  p99: number;
}

const hasNice = (() => {
  try {
    execFileSync('nice', ['true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Runs a surge in a child process; resolves when it is over. */
export function runSurge(options: SurgeOptions): Promise<SurgeResult> {
  const args = [fileURLToPath(import.meta.url), JSON.stringify(options)];
  const child = hasNice ? spawn('nice', ['-n', '10', process.execPath, ...args]) : spawn(process.execPath, args);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const line = output.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line));
      else reject(new Error(`surge exited with ${code}:\n${output}`));
    });
  });
}

if (import.meta.main) {
  const options = JSON.parse(process.argv[2]!) as SurgeOptions;
  const result = await autocannon({ ...options, method: 'POST' });
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats?.count ?? 0]));
  const summary: SurgeResult = {
    requestsPerSecond: result.requests.total / result.duration,
    statuses,
    errors: result.errors,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
  console.log(JSON.stringify(summary));
}
