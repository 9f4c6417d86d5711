/**
 * The core logs through the Logger it is given; only the entries (src/entry/: the process's own
 * startup and refusal lines) and the command-line scripts (outside src/) write to the console.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const src = join(root, 'src');
const ALLOWED = [join(src, 'entry')];

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|js|mjs)$/.test(entry.name)) yield path;
  }
}

it('no console.* in src/ outside the entries', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(src)) {
    if (ALLOWED.some((dir) => file.startsWith(`${dir}/`))) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.includes('console.')) offenders.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
      });
  }
  expect(offenders, `pass a Logger instead (src/ports/logger.ts):\n${offenders.join('\n')}`).toEqual([]);
});
