/** The Workers logger (JSON lines to a sink, the console there) against the Logger conformance suite. */
import { expect, it } from 'vitest';
import { createJsonLinesLogger } from '../../src/adapters/logging/json-lines-logger.ts';
import type { LogLevel } from '../../src/ports/logger.ts';
import { runLoggerContract } from './logger.contract.ts';

runLoggerContract('json lines', (level) => {
  const lines: string[] = [];
  return { logger: createJsonLinesLogger({ level, sink: (_, line) => lines.push(line) }), lines: () => lines };
});

it('json lines: each line goes to the sink with its level (the console method on Workers)', () => {
  const seen: Array<[LogLevel, string]> = [];
  const logger = createJsonLinesLogger({ level: 'debug', sink: (level, line) => seen.push([level, line]) });
  logger.debug('d');
  logger.error('e');
  expect(seen.map(([level, line]) => [level, JSON.parse(line).msg])).toEqual([
    ['debug', 'd'],
    ['error', 'e'],
  ]);
});
