/**
 * The AuditLog conformance suite: memory, SQLite and Redis keep operations' actions alike.
 * `create` returns a fresh, empty log; `reopen` (where the log is durable) the same log as a
 * restarted process would open it.
 */
import { describe, expect, it } from 'vitest';
import type { AuditLog, AuditRecord } from '../../src/ports/audit-log.ts';

const T0 = Date.parse('2026-11-29T10:00:00Z');

function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    at: new Date(T0).toISOString(),
    actor: 'ops@example.com',
    action: 'order.replay',
    target: 'ord_1',
    result: 'ok',
    detail: 'Replayed: REJECTED → QUEUED.',
    ...overrides,
  };
}

export function runAuditLogContract(name: string, create: () => Promise<{ log: AuditLog; reopen?: () => Promise<AuditLog> }>): void {
  describe(`AuditLog contract: ${name}`, () => {
    it('appends an entry as given, with an id, and lists it', async () => {
      const { log } = await create();
      const entry = await log.append(record());
      expect(entry).toEqual({ ...record(), id: expect.any(String) });
      expect(await log.listRecent(10)).toEqual([entry]);
      expect(await log.listByTarget('ord_1', 10)).toEqual([entry]);
      await log.close();
    });

    it('lists newest first, bounded by the limit, with distinct ids', async () => {
      const { log } = await create();
      for (let i = 0; i < 5; i++) await log.append(record({ detail: `entry ${i}`, at: new Date(T0 + i * 1000).toISOString() }));
      const recent = await log.listRecent(3);
      expect(recent.map((e) => e.detail)).toEqual(['entry 4', 'entry 3', 'entry 2']);
      expect(new Set((await log.listRecent(10)).map((e) => e.id)).size).toBe(5);
      expect(await log.listRecent(0)).toEqual([]);
      await log.close();
    });

    it('entries appended in the same millisecond keep the order they were appended in', async () => {
      const { log } = await create();
      for (const detail of ['first', 'second', 'third']) await log.append(record({ detail }));
      expect((await log.listRecent(3)).map((e) => e.detail)).toEqual(['third', 'second', 'first']);
      await log.close();
    });

    it('lists by target: that target only (exactly: ord_1 is not ord_10), newest first', async () => {
      const { log } = await create();
      await log.append(record({ target: 'ord_1', detail: 'a' }));
      await log.append(record({ target: 'ord_10', detail: 'b' }));
      await log.append(record({ target: null, action: 'reconciliation.run', detail: 'c' }));
      await log.append(record({ target: 'ord_1', action: 'order.cancel', result: 'refused', detail: 'd' }));
      expect((await log.listByTarget('ord_1', 10)).map((e) => [e.detail, e.action, e.result])).toEqual([
        ['d', 'order.cancel', 'refused'],
        ['a', 'order.replay', 'ok'],
      ]);
      expect(await log.listByTarget('ord_2', 10)).toEqual([]);
      expect((await log.listByTarget('ord_1', 1)).map((e) => e.detail)).toEqual(['d']);
      await log.close();
    });

    it('keeps an entry on no target as null, and text as it was given (quotes, markup, non-ASCII)', async () => {
      const { log } = await create();
      const odd = record({ target: null, actor: 'Zoë "ops" <admin>', detail: 'Ran: 3 checked; \\ / — 1 finding "opened"' });
      const entry = await log.append(odd);
      expect((await log.listRecent(1))[0]).toEqual({ ...odd, id: entry.id });
      await log.close();
    });

    it('an entry survives a reopen where the log is durable', async () => {
      const { log, reopen } = await create();
      if (!reopen) return;
      const entry = await log.append(record());
      await log.close();
      const again = await reopen();
      expect(await again.listByTarget('ord_1', 10)).toEqual([entry]);
      const next = await again.append(record({ detail: 'after restart' }));
      expect((await again.listRecent(2)).map((e) => e.id)).toEqual([next.id, entry.id]);
      await again.close();
    });
  });
}
