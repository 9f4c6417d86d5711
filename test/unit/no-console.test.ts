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
/**
 * A call on the global console (`console.log(`, `globalThis.console.warn(`…), not the word: the ops
 * console's routes serve `/assets/console.css` and audit `console.login`.
 */
const CONSOLE_CALL = /(?<![\w$])console\s*\.\s*(log|info|warn|error|debug|trace|dir|dirxml|table|group|groupEnd|time|timeEnd|count|assert)\s*\(/;

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
        if (CONSOLE_CALL.test(line)) offenders.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
      });
  }
  // The check itself must catch what it is for.
  expect(['console.log("x")', 'globalThis.console.warn(x)', '  console . error (e)'].every((line) => CONSOLE_CALL.test(line))).toBe(true);
  expect(['/assets/console.css', "action: 'console.login'", 'the ops console.'].some((line) => CONSOLE_CALL.test(line))).toBe(false);
  expect(offenders, `pass a Logger instead (src/ports/logger.ts):\n${offenders.join('\n')}`).toEqual([]);
});
