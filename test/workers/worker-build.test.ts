/**
 * The Worker's build as `wrangler deploy` makes it (`npm run worker:build`: `--dry-run --outdir
 * dist/worker`), so CI finds a Worker that would not deploy: a bundle wrangler cannot build (an
 * import workerd lacks, a Node-only module reached from the Worker's entry), a Durable Object class
 * wrangler.toml binds but the entry does not export (Cloudflare refuses such a deployment), or a
 * bundle over Cloudflare's size limit. Offline: wrangler sends no metrics and fetches nothing.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bundle = `${root}dist/worker/worker.js`;
/** Cloudflare's limit on a Worker's compressed size on the Free plan (10 MiB on paid plans). */
const FREE_PLAN_LIMIT = 3 * 1024 * 1024;

/** Runs an npm script from the repository root; its exit code and everything it printed. */
function npmRun(script: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', script], {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run worker:build (wrangler deploy --dry-run)', () => {
  let started: number;
  let build: { code: number | null; output: string };

  beforeAll(async () => {
    started = Date.now();
    build = await npmRun('worker:build');
  }, 120_000);

  it('succeeds and writes the bundle anew', () => {
    expect(build.code, build.output).toBe(0);
    expect(build.output).toMatch(/--dry-run: exiting now/);
    // Written by this build, not left over from an earlier one (mtime has 1 s granularity on some file systems).
    expect(statSync(bundle).mtimeMs).toBeGreaterThanOrEqual(started - 1000);
  });

  it('exports every Durable Object class wrangler.toml binds, and binds each of them', () => {
    const classes = [...readFileSync(`${root}wrangler.toml`, 'utf8').matchAll(/^class_name\s*=\s*"(\w+)"/gm)].map((m) => m[1]);
    expect(classes).toEqual(expect.arrayContaining(['OrderStoreObject', 'OutboxStoreObject', 'ErpBudgetObject', 'JobsObject']));
    const exported = /export\s*\{([^}]*)\};?\s*(\/\/# sourceMappingURL=\S+\s*)?$/.exec(readFileSync(bundle, 'utf8'))?.[1] ?? '';
    const names = exported.split(',').map((name) =>
      name
        .trim()
        .split(/\s+as\s+/)
        .pop(),
    );
    expect(names).toEqual(expect.arrayContaining([...classes, 'default']));
    for (const name of classes) expect(build.output).toMatch(new RegExp(`\\(${name}\\)\\s+Durable Object`));
  });

  it("fits Cloudflare's size limit for a Worker, compressed", () => {
    const compressed = gzipSync(readFileSync(bundle)).length;
    expect(compressed).toBeLessThan(FREE_PLAN_LIMIT);
  });
});
