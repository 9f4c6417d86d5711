/**
 * The alerting rules shipped in ops/prometheus/ as Prometheus itself reads them: `promtool check
 * rules` accepts the file, `promtool test rules` runs its unit tests (alerts that must fire and
 * must not, on series as erpfront exports them), and every metric the rules name is one erpfront
 * exports, so a renamed metric cannot leave an alert that never fires.
 *
 * promtool comes from Debian's `prometheus` package (.ci/run installs it). Without it the promtool
 * cases skip, loudly; under CI=true they fail instead.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../src/adapters/metrics/prometheus.ts';

const DIR = new URL('../../ops/prometheus/', import.meta.url).pathname;
const RULES = 'erpfront-alerts.yml';

/**
 * Metrics the rules name ahead of the parts of the operations issue that export them (their
 * alerts stay silent until then). A name leaves this list when erpfront exports it.
 */
const AWAITED = new Set<string>();

function promtoolAvailable(): boolean {
  const found = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;
  if (found) return true;
  const message = 'promtool is not installed: the alerting rules are not checked (apt-get install -y --no-install-recommends prometheus).';
  if (process.env.CI === 'true') throw new Error(`${message} Under CI=true nothing is skipped.`);
  console.warn(`\n!!! SKIPPED: ${message}\n`);
  return false;
}

const promtool = (...args: string[]) => {
  const run = spawnSync('promtool', args, { cwd: DIR, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
};

describe.runIf(promtoolAvailable())('the shipped alerting rules, read by promtool', () => {
  it('`promtool check rules` accepts the file', () => {
    const check = promtool('check', 'rules', RULES);
    expect(check.output).toContain('SUCCESS');
    expect(check.status, check.output).toBe(0);
  });

  it('`promtool test rules` passes the unit tests beside it', () => {
    const test = promtool('test', 'rules', 'erpfront-alerts.test.yml');
    expect(test.status, test.output).toBe(0);
    expect(test.output).toContain('SUCCESS');
  });

  it('a broken rule is refused (the check is not a formality)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'erpfront-rules-')), 'broken.yml');
    writeFileSync(file, readFileSync(`${DIR}${RULES}`, 'utf8').replace('> 900', '> > 900'));
    const check = promtool('check', 'rules', file);
    expect(check.status).not.toBe(0);
  });
});

describe('the metrics the rules read', () => {
  it('are exported by erpfront (or awaited from a part being built)', async () => {
    const rules = readFileSync(`${DIR}${RULES}`, 'utf8');
    const named = new Set(rules.match(/\berpfront_[a-z0-9_]+/g));
    const exported = new Set([...(await createPrometheusMetrics().render()).matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]));
    const unknown = [...named].filter((name) => !exported.has(name) && !AWAITED.has(name));
    expect(unknown).toEqual([]);
    // The awaited names are still named by the rules (the list does not outlive its use).
    for (const name of AWAITED) expect(named.has(name), name).toBe(true);
    expect(named.size).toBeGreaterThan(AWAITED.size);
  });
});
