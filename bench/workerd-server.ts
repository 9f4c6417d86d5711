/**
 * The Worker of wrangler.toml under wrangler, in a process of its own so that the bench can pin it
 * (and the workerd processes wrangler starts) to the server's core like the Node servers:
 * `node bench/workerd-server.ts <urls.json>`, the bindings as JSON in WORKER_BINDINGS.
 * Writes `{ direct, proxy }` (workerd itself; wrangler dev's proxy in front of it) to the file,
 * then prints `workerd on`. Stops the workerd processes on SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { type Bindings, directUrl, startWorker } from '../test/support/wrangler-worker.ts';

const [urlsFile] = process.argv.slice(2);
if (!urlsFile) throw new Error('usage: node bench/workerd-server.ts <urls.json>, bindings in WORKER_BINDINGS');

const values = JSON.parse(process.env.WORKER_BINDINGS ?? '{}') as Record<string, string>;
const bindings: Bindings = Object.fromEntries(
  Object.entries(values).map(([name, value]) => [name, { type: name === 'AUTH_JWT_SECRET' ? 'secret_text' : 'plain_text', value }]),
);
const worker = await startWorker(bindings);
await worker.ready;
const direct = await directUrl(worker);
writeFileSync(urlsFile, JSON.stringify({ direct: direct.origin, proxy: new URL(await worker.url).origin }));

process.once('SIGTERM', () => {
  void worker.dispose().finally(() => process.exit(0));
});
console.log(`workerd on ${direct.origin}`);
