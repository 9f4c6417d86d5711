/**
 * The Node logger: pino, one JSON object per line on stdout (LOG_FORMAT=json, the default), or
 * pino-pretty's coloured lines for a person at a terminal (LOG_FORMAT=pretty, what `npm start`
 * uses). Secrets are redacted by field name (redaction.ts) in both.
 *
 * JSON lines are gathered for one turn of the event loop and written together (`turn-buffer.ts`):
 * one system call per turn rather than one per request. Warnings and errors are written at once,
 * with what was gathered before them, and everything is written on exit, so a failure's lines
 * are in the log before a crash can follow; a `kill -9` loses at most the turn's info lines.
 * Pretty lines (a person at a terminal) are written one by one.
 *
 * @module
 */
import { pino, type Logger as Pino } from 'pino';
import pretty from 'pino-pretty';
import type { LogFields, Logger, LogLevel } from '../../ports/logger.ts';
import { redactSecrets } from './redaction.ts';
import { createTurnBuffer, type TurnBuffer } from './turn-buffer.ts';

export interface PinoLoggerOptions {
  /** Lines below this level are not written (LOG_LEVEL; default `info`). */
  level?: LogLevel;
  /** `json` lines (default) or `pretty` ones for a terminal (LOG_FORMAT). */
  format?: 'json' | 'pretty';
  /** Where lines go; default stdout (file descriptor 1). For tests. */
  destination?: NodeJS.WritableStream;
}

/** A pino-backed {@link Logger}, named `erpfront` in every line. */
export function createPinoLogger(options: PinoLoggerOptions = {}): Logger {
  const format = options.format ?? 'json';
  const buffer = options.destination === undefined && format === 'json' ? createTurnBuffer(pino.destination({ dest: 1, sync: true })) : null;
  const destination =
    buffer ??
    options.destination ??
    pretty({ sync: true, colorize: Boolean(process.stdout.isTTY), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,name', singleLine: true });
  const root = pino(
    {
      name: 'erpfront',
      level: options.level ?? 'info',
      timestamp: isoTimeOncePerMillisecond(),
      // "level":"warn" rather than 40: readable by whoever greps the log, and by log shippers.
      // pino-pretty reads the numbers, so the pretty output keeps them.
      formatters: {
        ...(format === 'json' ? { level: (label: string) => ({ level: label }) } : {}),
        // Secrets by field name (redaction.ts), in every line's fields; a child's bindings are
        // redacted in `wrap` (pino applies its bindings formatter to the root's only).
        log: redactSecrets,
      },
      // `err` comes as `loggableError` made it (no addresses, no stack for expected failures):
      // written as it is, not through pino's serializer for Error objects.
      serializers: { err: (value: unknown) => value },
    },
    destination,
  );
  return wrap(root, buffer);
}

/**
 * pino's `isoTime`, worked out once per millisecond: under load several lines share one, and
 * formatting the date was 4 µs of a 230 µs warm page (profile). The same text for the same instant.
 */
function isoTimeOncePerMillisecond(): () => string {
  let at = Number.NaN;
  let text = '';
  return () => {
    const now = Date.now();
    if (now !== at) {
      at = now;
      text = `,"time":"${new Date(now).toISOString()}"`;
    }
    return text;
  };
}

function wrap(target: Pino, buffer: TurnBuffer | null): Logger {
  const write = (level: LogLevel) => {
    // Warnings and errors go out at once, after what was gathered before them.
    const now = buffer !== null && (level === 'warn' || level === 'error');
    return (message: string, fields?: LogFields) => {
      if (fields === undefined) target[level](message);
      else target[level](fields as Record<string, unknown>, message);
      if (now) buffer.flush();
    };
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (bindings) => wrap(target.child(redactSecrets(bindings) as Record<string, unknown>), buffer),
  };
}
