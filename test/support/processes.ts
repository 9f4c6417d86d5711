/**
 * Runs erpfront's entries as their own processes, as users run them, and waits for the URL they
 * announce.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;

export interface NodeProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Stops the process (SIGTERM, SIGKILL after 3 s) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node <script>` from the repository root; resolves with the first URL matching `ready`. */
export async function startNodeProcess(script: string, env: Record<string, string>, ready: RegExp, args: string[] = []): Promise<NodeProcess> {
  const child = spawn(process.execPath, [script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill(signal);
      }),
  };
}

/** The sandbox ERP in its own process on a free port. */
export function startSandboxProcess(env: Record<string, string> = {}): Promise<NodeProcess> {
  return startNodeProcess('src/entry/sandbox.ts', { SANDBOX_PORT: '0', ...env }, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
}

/**
 * erpfront (`npm run serve`) in its own process on a free port. The price sheet is off unless a
 * test turns it on: its background calls would blur the tests that count ERP calls.
 */
export function startErpfrontProcess(env: Record<string, string>): Promise<NodeProcess> {
  return startNodeProcess('src/entry/node.ts', { PORT: '0', PRICE_SHEET: 'off', ...env }, /GraphQL at (http:\/\/127\.0\.0\.1:\d+)\/graphql/);
}
