/**
 * erpfront's V8 options (src/entry/node-options.ts) as `npm run serve` and `npm start` apply them:
 * in effect in the process they start, and overridden by a caller's own `NODE_OPTIONS`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERPFRONT_NODE_OPTIONS } from '../../src/entry/node-options.ts';

const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;

// Allocates for a while and prints the largest young generation (MB) V8 gave itself.
const probe = join(mkdtempSync(join(tmpdir(), 'erpfront-node-options-')), 'young-generation.mjs');
writeFileSync(
  probe,
  `import v8 from 'node:v8';
let largest = 0;
let kept = [];
for (let i = 0; i < 2000; i++) {
  for (let j = 0; j < 2000; j++) kept.push({ i, j, text: 'x' + j });
  if (kept.length > 200000) kept = [];
  largest = Math.max(largest, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
}
console.log(largest / 1048576);`,
);

/** Runs `script` through sh as npm does, with its entry swapped for the probe; the probe's answer. */
function youngGenerationMB(script: string, callerOptions: string): number {
  const command = script.replace(/node src\/entry\/\w+\.ts$/, `"${process.execPath}" "${probe}"`);
  return Number(execFileSync('sh', ['-c', command], { env: { ...process.env, NODE_OPTIONS: callerOptions }, encoding: 'utf8' }).trim());
}

describe.each(['serve', 'start'])('npm run %s', (name) => {
  const script = scripts[name]!;

  it("runs erpfront's entry with erpfront's V8 options first and the caller's after", () => {
    expect(script).toMatch(/node src\/entry\/\w+\.ts$/);
    expect(script.startsWith(`NODE_OPTIONS="${ERPFRONT_NODE_OPTIONS} $NODE_OPTIONS" `)).toBe(true);
  });

  // V8 reports a little over 2 × the semi-space at times (seen: 17.5 and 20 MB for 2 × 8 MB); the
  // uncapped default on a machine of this project's size is 128 MB.
  it('caps the young generation at about 2 × 16 MB', () => {
    const mb = youngGenerationMB(script, '');
    expect(mb).toBeGreaterThan(8);
    expect(mb).toBeLessThanOrEqual(40);
  });

  it("lets the caller's NODE_OPTIONS set it smaller (the README's bounded-memory recipe)", () => {
    const capped = youngGenerationMB(script, '');
    const callers = youngGenerationMB(script, '--max-semi-space-size=8');
    expect(callers).toBeLessThanOrEqual(26);
    expect(callers).toBeLessThan(capped);
  });
});
