/**
 * The Node logger's JSON lines, gathered per turn of the event loop (`turn-buffer.ts`): one write
 * per turn, nothing reordered, warnings and errors out at once, nothing gathered lost on exit or
 * on an uncaught exception; and the lines' times, worked out once per millisecond. The process
 * cases run a real erpfront logger writing to a real pipe.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTurnBuffer } from '../../src/adapters/logging/turn-buffer.ts';

const loggerModule = fileURLToPath(new URL('../../src/adapters/logging/pino-logger.ts', import.meta.url));

/** Runs `body` in a fresh Node process with `logger` made as `src/entry/node.ts` makes it; its stdout lines' messages. */
function run(body: string): { messages: string[]; times: string[]; status: number | null; signal: NodeJS.Signals | null } {
  const script = `import { createPinoLogger } from ${JSON.stringify(loggerModule)};\nconst logger = createPinoLogger({ format: 'json' });\n${body}`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  const lines = child.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { msg: string; time: string });
  return { messages: lines.map((l) => l.msg), times: lines.map((l) => l.time), status: child.status, signal: child.signal };
}

describe('log lines gathered per turn', () => {
  it('writes one turn’s lines in one write, in order, after the turn', async () => {
    const writes: string[] = [];
    const buffer = createTurnBuffer({ write: (text) => writes.push(text) });
    buffer.write('a\n');
    buffer.write('b\n');
    buffer.write('c\n');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['a\nb\nc\n']);
    buffer.write('d\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('writes at once past its bound, and on flush', () => {
    const writes: string[] = [];
    const buffer = createTurnBuffer({ write: (text) => writes.push(text) }, { maxChars: 10, schedule: () => {} });
    buffer.write('12345\n');
    expect(writes).toEqual([]);
    buffer.write('67890\n');
    expect(writes).toEqual(['12345\n67890\n']);
    buffer.write('x\n');
    buffer.flush();
    expect(writes).toEqual(['12345\n67890\n', 'x\n']);
  });

  it('a warning is out, with every line before it, before the caller goes on (a kill -9 right after loses nothing)', () => {
    const { messages, signal } = run(`logger.info('first'); logger.info('second'); logger.warn('careful'); process.kill(process.pid, 'SIGKILL');`);
    expect(signal).toBe('SIGKILL');
    expect(messages).toEqual(['first', 'second', 'careful']);
  });

  it('lines gathered when the process exits, or dies of an uncaught exception, are written', () => {
    const exited = run(`logger.info('one'); logger.info('two'); process.exit(3);`);
    expect(exited).toMatchObject({ status: 3, messages: ['one', 'two'] });
    const crashed = run(`logger.info('before the crash'); throw new Error('boom');`);
    expect(crashed.status).toBe(1);
    expect(crashed.messages).toEqual(['before the crash']);
  });

  it('keeps the order of many lines over many turns, child loggers included', () => {
    const { messages } = run(`
      const child = logger.child({ reqId: 'r1' });
      let n = 0;
      let turn = 0;
      const step = () => {
        for (let i = 0; i < 50; i++) (i % 2 ? child : logger).info(String(n++));
        if (turn++ % 10 === 9) child.error(String(n++));
        if (turn < 40) setImmediate(step);
      };
      step();`);
    expect(messages).toHaveLength(40 * 50 + 4);
    expect(messages.map(Number)).toEqual([...messages.map(Number)].sort((a, b) => a - b));
  });
});

describe('log line times', () => {
  it('are UTC ISO 8601 instants of the line, to the millisecond, however many lines share one', () => {
    const { messages, times } = run(`
      const before = Date.now();
      for (let i = 0; i < 200; i++) logger.info('burst');
      const until = Date.now() + 5;
      while (Date.now() < until) {}
      logger.info('later');
      logger.info(String(before));`);
    const before = Number(messages.at(-1));
    expect(times.every((t) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(t))).toBe(true);
    const burst = times.slice(0, 200).map(Date.parse);
    expect(Math.min(...burst)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(times[200]!)).toBeGreaterThanOrEqual(Math.max(...burst) + 5);
  });
});
