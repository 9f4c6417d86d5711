/**
 * The logger of the Node and Workers entries: the console (a line each), until structured logs.
 *
 * @module
 */
import type { Logger } from '../ports/logger.ts';

export const consoleLogger: Logger = {
  warn: (message, detail) => (detail === undefined ? console.warn(message) : console.warn(message, detail)),
  error: (message, detail) => (detail === undefined ? console.error(message) : console.error(message, detail)),
};
