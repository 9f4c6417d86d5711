/**
 * Runs the sandbox ERP on its own: `npm run sandbox` (SANDBOX_PORT, default 8788; SANDBOX_SEED,
 * default 42), on 127.0.0.1 only.
 *
 * @module
 */
import { startSandboxErp } from '../sandbox-erp/server.ts';

const port = Number(process.env.SANDBOX_PORT || 8788);
const seed = Number(process.env.SANDBOX_SEED || 42);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`SANDBOX_PORT: expected a port number, got ${JSON.stringify(process.env.SANDBOX_PORT)}`);
  process.exit(1);
}
if (!Number.isInteger(seed)) {
  console.error(`SANDBOX_SEED: expected an integer, got ${JSON.stringify(process.env.SANDBOX_SEED)}`);
  process.exit(1);
}

const sandbox = await startSandboxErp({ port, seed, host: '127.0.0.1' });
console.log(`sandbox ERP (seed ${seed}) listening on ${sandbox.url}  (API ${sandbox.url}/api/v1, control ${sandbox.url}/__control)`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the sandbox ERP`);
  await sandbox.close();
  process.exit(0);
}
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
