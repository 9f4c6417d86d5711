/**
 * Tryton's change feed ({@link ErpChangeFeed}): Tryton sends no webhooks, so erpfront asks it what
 * changed, by the `write_date` / `create_date` every Tryton record carries. Both, since
 * `write_date` stays empty until a record's first edit: a record's change time is its
 * `write_date`, or its `create_date` while it has none.
 *
 * What is read, and the change each record stands for:
 *
 * | model | change |
 * | --- | --- |
 * | `product.product` | `item.changed` (its code) |
 * | `product.template` (name, list price: Tryton keeps the list price on the template) | `item.changed` (its products' codes) |
 * | `product.price_list` (edited as a whole, lines removed through it) | `price_list.changed` (the whole list) |
 * | `product.price_list.line` | `price_list.changed` (the line's product, or the whole list for a line without one) |
 * | `party.party` (credit limit, price list, terms) | `customer.changed` (its code) |
 * | `sale.sale` | `order.changed` (its reference; not a quotation's or a return's, `document-entry.ts`) and `customer.changed` (open orders count toward credit) |
 * | `stock.move` | `stock.changed` (its product's code) |
 * | `account.move.line` with a party (invoices, payments: the credit balance) | `customer.changed` |
 *
 * Tryton stamps a record with its transaction's start time, and a transaction may commit after a
 * later one: so every poll reads again the last {@link LOOKBACK_MS} before the cursor, and the
 * cursor remembers which changes of that window it already reported, so none is missed and none
 * reported twice. A record deleted outright leaves no trace to read (a price list line removed
 * through its price list does: the list's own `write_date`).
 *
 * @module
 */
import { z } from 'zod';
import type { ErpChange, ErpChangePage } from '../../../ports/erp/changes.ts';
import type { ErpCallOptions } from '../../../ports/erp-connector.ts';
import { QUOTE_PREFIX, RETURN_PREFIX } from './document-entry.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { id, parseAnswer, related } from './values.ts';

/** How far before the cursor each poll reads again: longer than any Tryton transaction takes. */
export const LOOKBACK_MS = 30_000;

const OPERATION = 'changesSince';

/** A Tryton datetime (UTC, microseconds), kept as sortable text `YYYY-MM-DDTHH:MM:SS.ffffff`. */
const stamp = z
  .object({
    __class__: z.literal('datetime'),
    year: z.number().int(),
    month: z.number().int(),
    day: z.number().int(),
    hour: z.number().int(),
    minute: z.number().int(),
    second: z.number().int(),
    microsecond: z.number().int().optional(),
  })
  .transform((d) => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}T${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}.${pad(d.microsecond ?? 0, 6)}`);

const Stamped = z.object({ id, write_date: stamp.nullable(), create_date: stamp.nullable() });
const code = z.string().nullable();

interface Source {
  model: string;
  fields: string[];
  /** Only these records count (account lines: those with a party). */
  domain?: unknown[];
  row: z.ZodType<Record<string, unknown>>;
  /** The changes the changed records stand for. */
  changes(rows: Array<Record<string, unknown>>, rpc: TrytonRpc, options?: ErpCallOptions): Promise<ErpChange[]>;
}

// biome-ignore lint/suspicious/noExplicitAny: each caller picks a field of its own model's rows, as Tryton sent them
const codes = (rows: Array<Record<string, unknown>>, pick: (row: any) => string | null | undefined) => [
  ...new Set(rows.map(pick).filter((c): c is string => typeof c === 'string' && c !== '')),
];
const skusOf = (skus: string[]): ErpChange[] => (skus.length ? [{ type: 'item.changed', data: { skus } }] : []);
const customersOf = (ids: string[]): ErpChange[] => (ids.length ? [{ type: 'customer.changed', data: { customerIds: ids } }] : []);

const SOURCES: readonly Source[] = [
  { model: 'product.product', fields: ['code'], row: Stamped.extend({ code }), changes: async (rows) => skusOf(codes(rows, (r) => r.code)) },
  {
    model: 'product.template',
    fields: ['products'],
    row: Stamped.extend({ products: z.array(id) }),
    async changes(rows, rpc, options) {
      const ids = [...new Set(rows.flatMap((r) => r.products as number[]))];
      if (ids.length === 0) return [];
      const products = parseAnswer(
        z.array(z.object({ id, code })),
        await rpc.model(OPERATION, 'product.product', 'read', [ids, ['code']], {}, options),
        OPERATION,
        'products of changed templates',
      );
      return skusOf(codes(products, (p) => p.code));
    },
  },
  {
    model: 'product.price_list',
    fields: [],
    row: Stamped,
    changes: async (rows) => rows.map((r) => ({ type: 'price_list.changed', data: { priceListId: String(r.id) } })),
  },
  {
    model: 'product.price_list.line',
    fields: ['price_list', 'product.code'],
    row: Stamped.extend({ price_list: id, 'product.': related({ code }) }),
    async changes(rows) {
      // A line without a product (a category's, or every product's) may change any price of its list.
      const byList = new Map<number, Set<string> | 'all'>();
      for (const row of rows) {
        const list = row.price_list as number;
        const sku = (row['product.'] as { code: string | null } | null)?.code ?? null;
        const known = byList.get(list);
        if (sku === null || known === 'all') byList.set(list, 'all');
        else byList.set(list, (known ?? new Set()).add(sku));
      }
      return [...byList].map(
        ([list, skus]): ErpChange => ({
          type: 'price_list.changed',
          data: skus === 'all' ? { priceListId: String(list) } : { priceListId: String(list), skus: [...skus] },
        }),
      );
    },
  },
  { model: 'party.party', fields: ['code'], row: Stamped.extend({ code }), changes: async (rows) => customersOf(codes(rows, (r) => r.code)) },
  {
    model: 'sale.sale',
    fields: ['reference', 'party.code'],
    row: Stamped.extend({ reference: z.string().nullable(), 'party.': related({ code }) }),
    async changes(rows) {
      // Quotations and returns are sales too, but not orders: no order.changed names them.
      const refs = codes(rows, (r) => r.reference).filter((ref) => !ref.startsWith(QUOTE_PREFIX) && !ref.startsWith(RETURN_PREFIX));
      return [
        ...(refs.length ? [{ type: 'order.changed', data: { externalRefs: refs } } as ErpChange] : []),
        ...customersOf(codes(rows, (r) => r['party.']?.code)),
      ];
    },
  },
  {
    model: 'stock.move',
    fields: ['product.code'],
    row: Stamped.extend({ 'product.': related({ code }) }),
    changes: async (rows) => stockOf(codes(rows, (r) => r['product.']?.code)),
  },
  {
    model: 'account.move.line',
    fields: ['party.code'],
    domain: [['party', '!=', null]],
    row: Stamped.extend({ 'party.': related({ code }) }),
    changes: async (rows) => customersOf(codes(rows, (r) => r['party.']?.code)),
  },
];

function stockOf(skus: string[]): ErpChange[] {
  return skus.length ? [{ type: 'stock.changed', data: { skus } }] : [];
}

/** The cursor: how far changes were read, and which changes of the window before it were reported. */
interface Cursor {
  /** The change time up to which everything was read. */
  t: string;
  /** `model:id@time` of what was reported within {@link LOOKBACK_MS} before `t`. */
  seen: string[];
}

/** Most change marks a cursor remembers; past it a change may be reported twice (harmless). */
const MAX_SEEN = 5000;

/** The change feed over `rpc`. */
export function trytonChangeFeed(rpc: TrytonRpc) {
  return {
    /** The latest change time in Tryton now: polling starts there, without replaying history. */
    async changeCursorNow(options?: ErpCallOptions): Promise<string> {
      let latest = '';
      for (const source of SOURCES) {
        for (const field of ['write_date', 'create_date']) {
          const answer = await rpc.model(
            OPERATION,
            source.model,
            'search_read',
            [[[field, '!=', null], ...(source.domain ?? [])], 0, 1, [[field, 'DESC']], [field]],
            {},
            options,
          );
          const [row] = parseAnswer(z.array(z.object({ [field]: stamp })), answer, OPERATION, `${source.model} ${field}`) as Array<Record<string, string>>;
          if (row && row[field]! > latest) latest = row[field]!;
        }
      }
      return JSON.stringify({ t: latest || '1970-01-01T00:00:00.000000', seen: [] } satisfies Cursor);
    },

    /** Changes after `cursor` (see the module doc), reading at most `limit` records per model and query. */
    async changesSince(cursorText: string, limit: number, options?: ErpCallOptions): Promise<ErpChangePage> {
      const cursor = parseCursor(cursorText);
      const since = shift(cursor.t, -LOOKBACK_MS);
      const seen = new Set(cursor.seen);
      const changes: ErpChange[] = [];
      const marks: Array<{ mark: string; at: string }> = [];
      let latest = cursor.t;
      /** The earliest change time at which a model's read was cut short: everything before it was read. */
      let horizon: string | null = null;
      for (const source of SOURCES) {
        const fresh: Array<Record<string, unknown>> = [];
        // Edited records by write_date; never-edited ones by create_date: each sorted by its change time.
        for (const [field, domain] of [
          ['write_date', [['write_date', '>=', toDatetime(since)]]],
          [
            'create_date',
            [
              ['write_date', '=', null],
              ['create_date', '>=', toDatetime(since)],
            ],
          ],
        ] as const) {
          const answer = await rpc.model(
            OPERATION,
            source.model,
            'search_read',
            [
              [...domain, ...(source.domain ?? [])],
              0,
              limit,
              [
                [field, 'ASC'],
                ['id', 'ASC'],
              ],
              [...source.fields, 'write_date', 'create_date'],
            ],
            {},
            options,
          );
          const rows = parseAnswer(z.array(source.row), answer, OPERATION, `changed ${source.model} records`);
          for (const row of rows) {
            const at = (row.write_date ?? row.create_date) as string;
            const mark = `${source.model}:${row.id}@${at}`;
            marks.push({ mark, at });
            if (at > latest) latest = at;
            if (!seen.has(mark)) fresh.push(row);
          }
          const last = rows.at(-1);
          if (rows.length >= limit && last) {
            const at = (last.write_date ?? last.create_date) as string;
            if (horizon === null || at < horizon) horizon = at;
          }
        }
        if (fresh.length > 0) changes.push(...(await source.changes(fresh, rpc, options)));
      }
      // Cut short: go on from the earliest place a read stopped (records changed at exactly that
      // time are read again, and recognised by their marks). A page that does not get past the
      // cursor (more than `limit` records of one model changed at one instant: one huge
      // transaction) cannot be split by time: then go on one microsecond past it, and what was
      // not read of it ages out of the cache by its freshness instead.
      const more = horizon !== null;
      let t = horizon !== null ? horizon : latest;
      if (more && t <= cursor.t) t = shift(cursor.t, 0, 1);
      const windowStart = shift(t, -LOOKBACK_MS);
      const kept = marks
        .filter((m) => m.at >= windowStart)
        .slice(-MAX_SEEN)
        .map((m) => m.mark);
      return { changes: merge(changes), cursor: JSON.stringify({ t, seen: kept } satisfies Cursor), more };
    },
  };
}

function parseCursor(text: string): Cursor {
  try {
    const parsed = JSON.parse(text) as Partial<Cursor>;
    if (typeof parsed.t === 'string' && Array.isArray(parsed.seen)) return { t: parsed.t, seen: parsed.seen.filter((s): s is string => typeof s === 'string') };
  } catch {
    // fall through
  }
  throw new TypeError(`Not a Tryton change cursor: ${text.slice(0, 80)}`);
}

/** `t` (`YYYY-MM-DDTHH:MM:SS.ffffff`) moved by `ms` and `micros`. */
function shift(t: string, ms: number, micros = 0): string {
  const total = Number(t.slice(20, 26) || 0) + micros;
  const moved = new Date(Date.parse(`${t.slice(0, 19)}Z`) + ms + Math.floor(total / 1_000_000) * 1000).toISOString();
  return `${moved.slice(0, 19)}.${pad(total % 1_000_000, 6)}`;
}

function toDatetime(t: string) {
  return {
    __class__: 'datetime',
    year: Number(t.slice(0, 4)),
    month: Number(t.slice(5, 7)),
    day: Number(t.slice(8, 10)),
    hour: Number(t.slice(11, 13)),
    minute: Number(t.slice(14, 16)),
    second: Number(t.slice(17, 19)),
    microsecond: Number(t.slice(20, 26) || 0),
  };
}

/** One change per type and scope, keys merged: a poll's many records, few events. */
function merge(changes: readonly ErpChange[]): ErpChange[] {
  const merged = new Map<string, ErpChange>();
  for (const change of changes) {
    const scope = change.type === 'price_list.changed' ? change.data.priceListId : change.type === 'contract_price.changed' ? change.data.customerId : '';
    const key = `${change.type}|${scope}`;
    const known = merged.get(key);
    if (!known) {
      merged.set(key, structuredClone(change));
      continue;
    }
    const into = known.data as Record<string, string[] | string | undefined>;
    const from = change.data as Record<string, string[] | string | undefined>;
    for (const field of ['skus', 'customerIds', 'externalRefs']) {
      if (!(field in into) && !(field in from)) continue;
      // A scope-wide change (no skus) absorbs the named ones.
      if (change.type === 'price_list.changed' && (!('skus' in into) || !('skus' in from))) {
        delete into.skus;
        continue;
      }
      into[field] = [...new Set([...((into[field] as string[]) ?? []), ...((from[field] as string[]) ?? [])])];
    }
  }
  return [...merged.values()];
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}
