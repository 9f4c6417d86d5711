/**
 * The SQLite PunchOut store against the PunchOutStore conformance suite, reopened on the same
 * file (what a restart of the embedded instance does); then what only a file shows: the schema
 * version, and refusing a database written by a newer erpfront.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { createSqlitePunchOutStore } from '../../src/adapters/stores/sqlite/punchout-store.ts';
import { runPunchOutStoreContract } from './punchout-store.contract.ts';

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'erpfront-punchout-')), 'punchout.sqlite');

runPunchOutStoreContract('SQLite', async () => {
  const path = freshPath();
  return { store: createSqlitePunchOutStore({ path }), reopen: async () => createSqlitePunchOutStore({ path }) };
});

describe('SQLite PunchOut store file', () => {
  it('is versioned, in WAL mode, and reopening does not migrate again', async () => {
    const path = freshPath();
    await createSqlitePunchOutStore({ path }).close();
    await createSqlitePunchOutStore({ path }).close();
    const db = new DatabaseSync(path);
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: 1 });
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
  });

  it("drops claims on order links when it opens: a crashed process's pending documents go out at once, not after the claim", async () => {
    const path = freshPath();
    const store = createSqlitePunchOutStore({ path });
    const link = {
      orderId: 'ord_c',
      buyerId: 'demo-buyer',
      buyerOrderId: 'PO-C',
      orderPayloadId: 'c@buyer',
      orderDate: '2026-11-23T10:00:00Z',
      confirmed: false,
      noticedShipments: [],
      attempts: 1,
      nextAttemptAt: 1000,
      lastError: 'HTTP 503 from the buyer',
    };
    await store.linkOrder(link);
    expect(await store.dueOrderLinks(2000, 10, 300_000)).toEqual([link]);
    expect(await store.dueOrderLinks(2000, 10, 300_000)).toEqual([]);
    // The process dies mid-delivery (no close); the next one opens the same file.
    const next = createSqlitePunchOutStore({ path });
    expect(await next.dueOrderLinks(2001, 10, 300_000)).toEqual([link]);
    await next.close();
    await store.close();
  });

  it('refuses a database from a newer erpfront with a code and what to do', () => {
    const path = freshPath();
    const db = new DatabaseSync(path);
    db.exec('PRAGMA user_version = 99');
    db.close();
    expect(() => createSqlitePunchOutStore({ path })).toThrow(
      expect.objectContaining({ code: 'SCHEMA_TOO_NEW', message: expect.stringMatching(/newer erpfront/) }),
    );
  });
});
