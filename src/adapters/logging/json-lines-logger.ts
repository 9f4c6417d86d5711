/**
 * A {@link Logger} that formats each line as one JSON object and hands it to a sink: the Workers
 * entry passes one that writes each line to the console at its level, where Workers Logs and
 * `wrangler tail` collect it. The same line shape as pino's on Node (`level`, `time`, `name`,
 * `msg`, the bindings and fields), and the same redaction of secrets by field name.
 *
 * Runtime-free: no console here, the sink comes in.
 *
 * @module
 */
import type { LogFields, Logger, LogLevel } from '../../ports/logger.ts';
import { LOG_LEVELS } from '../../ports/logger.ts';
import { loggableError } from '../../domain/loggable-error.ts';
import { redactSecrets } from './redaction.ts';

/** Receives each line that passed the level, with its level. */
export type LogSink = (level: LogLevel, line: string) => void;

export interface JsonLinesLoggerOptions {
  sink: LogSink;
  /** Lines below this level are dropped (LOG_LEVEL; default `info`). */
  level?: LogLevel;
  /** Epoch ms now; for tests. */
  now?: () => number;
}

export function createJsonLinesLogger(options: JsonLinesLoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const now = options.now ?? Date.now;
  const make = (bindings: Record<string, unknown>): Logger => {
    const write = (level: LogLevel) => (message: string, fields?: LogFields) => {
      if (LOG_LEVELS.indexOf(level) < threshold) return;
      options.sink(level, line({ level, time: new Date(now()).toISOString(), name: 'erpfront', ...bindings, ...fields, msg: message }));
    };
    return {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return make({});
}

/** One line of JSON, secrets redacted; never throws (a line that cannot be written says so). */
function line(record: Record<string, unknown>): string {
  try {
    return JSON.stringify(redactSecrets(record), (_, value: unknown) =>
      value instanceof Error ? loggableError(value) : typeof value === 'bigint' ? value.toString() : value,
    );
  } catch (error) {
    return JSON.stringify({
      level: record.level,
      time: record.time,
      name: 'erpfront',
      msg: String(record.msg),
      logError: `fields could not be written: ${String(error)}`,
    });
  }
}
