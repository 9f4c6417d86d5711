/**
 * The Worker of wrangler.toml started under wrangler (`unstable_startWorker`, as `wrangler dev`
 * bundles it), offline and hermetic: the tests of test/workers and the workerd bench start it here.
 *
 * Not @cloudflare/vitest-plugin: wrangler builds the Worker from wrangler.toml exactly as it ships
 * (the Text rule, the vars), which the plugin's vite build would bypass. Nor wrangler's
 * createTestHarness: it sends the Worker's outbound fetches through Node's fetch in this process,
 * so workerd's own HTTP client would never reach the ERP.
 */
import { fileURLToPath } from 'node:url';

// Read by wrangler when it would phone home (telemetry, the `cf` object of requests); set before
// wrangler is loaded, hence the dynamic import.
process.env.WRANGLER_SEND_METRICS = 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
// Hermetic bindings: wrangler.toml's [vars] plus what each caller passes. Otherwise wrangler dev
// would add a developer's .dev.vars or .env and, because wrangler.toml declares [secrets], any
// variable of the shell named like a var (an exported CACHE_MAX_MB=abc broke every test here).
process.env.CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV = 'false';
const NO_ENV_FILES = ['.env.none-for-tests']; // a non-empty list is what makes wrangler skip .dev.vars
const { unstable_DevEnv } = await import('wrangler');

export type Worker = Awaited<ReturnType<InstanceType<typeof unstable_DevEnv>['startWorker']>>;
export type Bindings = Record<string, { type: 'plain_text' | 'secret_text'; value: string }>;

const CONFIG = fileURLToPath(new URL('../../wrangler.toml', import.meta.url));

/**
 * Starts the Worker of wrangler.toml with these bindings on top of its [vars], on a free loopback
 * port. `persist`: a directory for the Durable Objects' state (kept across restarts); none by default.
 */
export function startWorker(bindings: Bindings, options: { persist?: string; logLevel?: 'none' | 'warn' } = {}): Promise<Worker> {
  // What unstable_startWorker does, with the reload event heard from the start (it names workerd's own address).
  const devEnv = new unstable_DevEnv();
  devEnv.on('reloadComplete', (event: { proxyData: { userWorkerUrl: { protocol: string; hostname: string; port: string } } }) => {
    const { protocol, hostname, port } = event.proxyData.userWorkerUrl;
    directUrls.set(devEnv, new URL(`${protocol}//${hostname}:${port}/`));
  });
  return devEnv.startWorker({
    config: CONFIG,
    envFiles: NO_ENV_FILES,
    bindings,
    // persist false: no .wrangler/state; watch false: no file watcher left behind.
    dev: {
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: false,
      persist: options.persist ?? false,
      watch: false,
      logLevel: options.logLevel ?? 'warn',
    },
  });
}

const directUrls = new WeakMap<object, URL>();

/**
 * Where workerd itself serves the Worker, without `wrangler dev`'s proxy in front (a second workerd
 * that forwards every request): known once the Worker is loaded, which the first request through
 * the proxy waits for.
 */
export async function directUrl(worker: Worker): Promise<URL> {
  await (await fetch(new URL('/healthz', await worker.url))).arrayBuffer();
  const url = directUrls.get(worker.raw);
  if (!url) throw new Error('wrangler reported no address for the Worker it loaded');
  return url;
}
