/**
 * Runs the sandbox ERP on its own: `npm run sandbox` (SANDBOX_PORT, default 8788; SANDBOX_SEED,
 * default 42; SANDBOX_MAX_REQUEST_MS, the ERP's own request limit, default 30000;
 * SANDBOX_UNIQUE_EXTERNAL_REFS=true to refuse a second order with one reference; SANDBOX_WEBHOOK_URL
 * and SANDBOX_WEBHOOK_SECRET to deliver change webhooks), on 127.0.0.1 only.
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

const maxRequestMs = Number(process.env.SANDBOX_MAX_REQUEST_MS || 30_000);
if (!Number.isInteger(maxRequestMs) || maxRequestMs < 1) {
  console.error(`SANDBOX_MAX_REQUEST_MS: expected a whole number of milliseconds >= 1, got ${JSON.stringify(process.env.SANDBOX_MAX_REQUEST_MS)}`);
  process.exit(1);
}
const unique = process.env.SANDBOX_UNIQUE_EXTERNAL_REFS ?? 'false';
if (unique !== 'true' && unique !== 'false') {
  console.error(`SANDBOX_UNIQUE_EXTERNAL_REFS: expected true or false, got ${JSON.stringify(unique)}`);
  process.exit(1);
}

// Change webhooks (README of the sandbox, "Changes"): both or neither.
const webhookUrl = process.env.SANDBOX_WEBHOOK_URL || undefined;
const webhookSecret = process.env.SANDBOX_WEBHOOK_SECRET || undefined;
if (webhookUrl && !URL.canParse(webhookUrl)) {
  console.error(`SANDBOX_WEBHOOK_URL: expected an http(s) URL such as http://127.0.0.1:8787/erp/events, got ${JSON.stringify(webhookUrl)}`);
  process.exit(1);
}
if (Boolean(webhookUrl) !== Boolean(webhookSecret)) {
  console.error(
    'SANDBOX_WEBHOOK_URL and SANDBOX_WEBHOOK_SECRET: set both (where to deliver change webhooks, and the whsec_… secret to sign them with) or neither',
  );
  process.exit(1);
}
if (webhookSecret && !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(webhookSecret)) {
  console.error('SANDBOX_WEBHOOK_SECRET: expected whsec_ followed by base64 (a Standard Webhooks secret)');
  process.exit(1);
}
const webhook = webhookUrl && webhookSecret ? { url: webhookUrl, secret: webhookSecret } : undefined;

const sandbox = await startSandboxErp({ port, seed, host: '127.0.0.1', maxRequestMs, uniqueExternalRefs: unique === 'true', webhook });
console.log(`sandbox ERP (seed ${seed}) listening on ${sandbox.url}  (API ${sandbox.url}/api/v1, control ${sandbox.url}/__control)`);
if (webhook) console.log(`sandbox ERP: change webhooks go to ${webhook.url}`);

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
