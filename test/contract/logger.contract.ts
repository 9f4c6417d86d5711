/**
 * The Logger conformance suite: pino on Node and the JSON-lines logger on Workers write the same
 * lines (one JSON object each: level, time, name, msg, bindings, fields), honour the level, and
 * redact secrets by field name wherever they sit. `create` returns a logger at `level` and the
 * lines it wrote so far.
 */
import { describe, expect, it } from 'vitest';
import type { Logger, LogLevel } from '../../src/ports/logger.ts';

export type LoggerUnderTest = { logger: Logger; lines(): string[] };

export function runLoggerContract(name: string, create: (level: LogLevel) => LoggerUnderTest): void {
  const parsed = (under: LoggerUnderTest) => under.lines().map((line) => JSON.parse(line) as Record<string, unknown>);

  describe(`Logger contract: ${name}`, () => {
    it('writes one JSON object per line: level, ISO time, name, msg and the fields', () => {
      const under = create('info');
      under.logger.info('request', { status: 200, path: '/graphql', nested: { list: [1, 'two'] } });
      under.logger.error('failed', { err: { type: 'Error', message: 'boom' } });
      const [first, second] = parsed(under);
      expect(first).toMatchObject({ level: 'info', name: 'erpfront', msg: 'request', status: 200, path: '/graphql', nested: { list: [1, 'two'] } });
      expect(new Date(first!.time as string).toISOString()).toBe(first!.time);
      expect(second).toMatchObject({ level: 'error', msg: 'failed', err: { type: 'Error', message: 'boom' } });
    });

    it('drops lines below its level', () => {
      const atWarn = create('warn');
      for (const level of ['debug', 'info', 'warn', 'error'] as const) atWarn.logger[level](`a ${level} line`);
      expect(parsed(atWarn).map((l) => l.level)).toEqual(['warn', 'error']);
      const atDebug = create('debug');
      atDebug.logger.debug('an erp call', { operation: 'getPrices' });
      expect(parsed(atDebug)).toMatchObject([{ level: 'debug', operation: 'getPrices' }]);
    });

    it('a child carries its bindings on every line, and its children add theirs; the parent does not', () => {
      const under = create('info');
      const request = under.logger.child({ reqId: 'req-00000001' });
      request.child({ orderId: 'ord_1' }).info('order placed');
      request.info('request');
      under.logger.info('alone');
      expect(parsed(under)).toMatchObject([
        { msg: 'order placed', reqId: 'req-00000001', orderId: 'ord_1' },
        { msg: 'request', reqId: 'req-00000001' },
        { msg: 'alone' },
      ]);
      expect(parsed(under)[1]).not.toHaveProperty('orderId');
      expect(parsed(under)[2]).not.toHaveProperty('reqId');
    });

    it('redacts secrets by field name: at the top, nested, in bindings, whatever the case', () => {
      const under = create('debug');
      const secrets = ['Bearer eyJ.secret.token', 'hunter2', 'cookie-value', 'shared-secret-value', 'access-token-value', 'jwt-secret-value'];
      under.logger.child({ token: secrets[4] }).warn('something', {
        authorization: secrets[0],
        headers: { Authorization: secrets[0], cookie: secrets[2] },
        login: { user: 'webstore', password: secrets[1] },
        buyer: { cxml: { credential: { sharedSecret: secrets[3] } } },
        AUTH_JWT_SECRET: secrets[5],
        keep: 'this',
      });
      const [line] = under.lines();
      for (const secret of secrets) expect(line).not.toContain(secret);
      expect(JSON.parse(line!)).toMatchObject({
        authorization: '[redacted]',
        headers: { Authorization: '[redacted]', cookie: '[redacted]' },
        login: { user: 'webstore', password: '[redacted]' },
        token: '[redacted]',
        keep: 'this',
      });
    });

    it('a newline in a message or a field stays inside its line', () => {
      const under = create('info');
      under.logger.warn('first\n{"level":"error","msg":"forged"}', { user: 'x\r\n{"forged":true}' });
      expect(under.lines()).toHaveLength(1);
      expect(parsed(under)[0]).toMatchObject({ msg: 'first\n{"level":"error","msg":"forged"}', user: 'x\r\n{"forged":true}' });
    });
  });
}
