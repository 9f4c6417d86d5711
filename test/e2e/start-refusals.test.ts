/**
 * Starts that must be refused, run as users run them (their own processes): the development entry
 * (`npm start`, with its published demo buyers and a pre-filled buyer token) on an address others
 * can reach or in production, and a configuration error that must not print secrets.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

interface Outcome {
  /** The exit code, or `null` when the process was still running (and was then killed). */
  code: number | null;
  output: string;
}

/** Runs an entry until it exits, or until it announces it serves (then stops it): its code and output. */
function run(script: string, env: Record<string, string>): Promise<Outcome> {
  const dataDir = mkdtempSync(join(tmpdir(), 'erpfront-refusal-'));
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir, AUTH_JWT_SECRET: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve) => {
    const stop = () => child.kill('SIGKILL');
    const timer = setTimeout(stop, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (/GraphQL at http|erpfront:\s+http/.test(output)) stop(); // it started: the refusal is missing
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('the development entry (npm start)', () => {
  it.each([
    ['HOST=0.0.0.0', { HOST: '0.0.0.0' }],
    ['HOST=::', { HOST: '::' }],
    ['a LAN address', { HOST: '192.168.1.20' }],
    ['NODE_ENV=production', { NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(40) }],
  ])('refuses %s, pointing at npm run serve', async (_, env) => {
    const { code, output } = await run('src/entry/dev.ts', env);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output).toContain('npm run serve');
    expect(output).not.toMatch(/Bearer|token for C0001/);
  });
});

describe('a configuration error at start', () => {
  it('names the variables and what is expected, never a secret or a URL password', async () => {
    const { code, output } = await run('src/entry/node.ts', {
      AUTH_JWT_SECRET: 'short-but-secret-value',
      REDIS_URL: 'redis://default:hunter2-redis-pass@127.0.0.1:notaport',
      ERP_PASSWORD: 'WebShopApi-2024x',
      ERP_CONNECTOR: 'tryton',
      ERP_USERNAME: 'webstore',
      ERP_URL: 'not a url',
    });
    expect(code).toBe(1);
    expect(output).toMatch(/AUTH_JWT_SECRET: expected at least 32 characters/);
    expect(output).toMatch(/REDIS_URL: /);
    expect(output).toMatch(/ERP_URL: /);
    for (const secret of ['short-but-secret-value', 'hunter2-redis-pass', 'WebShopApi-2024x']) expect(output).not.toContain(secret);
  });
});

describe('a broken manifest of trusted documents (TRUSTED_DOCUMENTS_FILE)', () => {
  it('stops the start, listing every document it cannot run and where it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'erpfront-manifest-'));
    writeFileSync(
      join(dir, 'storefront.json'),
      JSON.stringify({
        good: 'query Viewer { viewer { customer { id } } }',
        typo: 'query Typo { viewer { customer { nmae } } }',
        cut: 'query Cut { viewer { customer { id }',
        two: 'query A { viewer { customer { id } } } query B { viewer { customer { name } } }',
      }),
    );
    writeFileSync(join(dir, 'pad.json'), '{"quick": "query Q { products(skus: [\\"SKU-1\\"]) { sku } }",');
    const { code, output } = await run('src/entry/node.ts', { TRUSTED_DOCUMENTS: 'only', TRUSTED_DOCUMENTS_FILE: dir });
    expect(code).toBe(1);
    expect(output).toMatch(/TRUSTED_DOCUMENTS_FILE: .*pad\.json: not valid JSON/);
    // Read first, then checked against the schema: a file that is no JSON stops it before the rest is parsed.
    writeFileSync(join(dir, 'pad.json'), JSON.stringify({ quick: 'query Q { products(skus: ["SKU-1"]) { sku } }' }));
    const second = await run('src/entry/node.ts', { TRUSTED_DOCUMENTS: 'only', TRUSTED_DOCUMENTS_FILE: dir });
    expect(second.code).toBe(1);
    expect(second.output).toMatch(/storefront\.json: document typo: Cannot query field "nmae" on type "Customer"/);
    expect(second.output).toMatch(/storefront\.json: document cut: Syntax Error/);
    expect(second.output).toMatch(/storefront\.json: document two: holds 2 operations/);
    expect(second.output).not.toMatch(/document (good|quick)/);
  });

  it('stops the start when the manifest is larger than TRUSTED_DOCUMENTS_MAX_MB, or missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'erpfront-manifest-'));
    writeFileSync(join(dir, 'big.json'), JSON.stringify({ big: `query Big { viewer { customer { id } } } # ${'x'.repeat(200_000)}` }));
    const big = await run('src/entry/node.ts', { TRUSTED_DOCUMENTS_FILE: join(dir, 'big.json'), TRUSTED_DOCUMENTS_MAX_MB: '0.1' });
    expect(big.code).toBe(1);
    expect(big.output).toMatch(/TRUSTED_DOCUMENTS_FILE: .*big\.json holds 0\.2 MB of manifests, over TRUSTED_DOCUMENTS_MAX_MB \(0\.1\)/);
    const missing = await run('src/entry/node.ts', { TRUSTED_DOCUMENTS_FILE: join(dir, 'nothing-here.json') });
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/TRUSTED_DOCUMENTS_FILE: cannot read .*nothing-here\.json \(ENOENT\)/);
  });
});
