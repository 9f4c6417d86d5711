/** The Node logger (pino, JSON lines) against the Logger conformance suite. */
import { Writable } from 'node:stream';
import { createPinoLogger } from '../../src/adapters/logging/pino-logger.ts';
import { runLoggerContract } from './logger.contract.ts';

runLoggerContract('pino', (level) => {
  let text = '';
  const destination = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  const logger = createPinoLogger({ level, format: 'json', destination });
  return { logger, lines: () => text.split('\n').filter(Boolean) };
});
