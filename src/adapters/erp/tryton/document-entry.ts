/**
 * What quotations and returns share over Tryton: the sale references that mark them (so order
 * reads never take one for an order), erpfront's responses kept as Tryton notes (`ir.note`) on
 * the sale, and the lookups their entry needs. The mapping itself is in `quotes.ts` and
 * `returns.ts`.
 *
 * A quotation is the sale with reference `quote:<erpfront's id>`, a return the sale with reference
 * `return:<erpfront's id>`: erpfront's ids of orders never take either form, and a person in
 * Tryton sees at once what the sale is.
 *
 * @module
 */
import { z } from 'zod';
import type { ErpCallOptions } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { datetime, id, parseAnswer } from './values.ts';

export const QUOTE_PREFIX = 'quote:';
export const RETURN_PREFIX = 'return:';

/** The domain that leaves quotations and returns out of a search of sales (a null reference stays in). */
export const NOT_A_DOCUMENT: unknown[] = [
  'OR',
  ['reference', '=', null],
  [
    ['reference', 'not like', `${QUOTE_PREFIX}%`],
    ['reference', 'not like', `${RETURN_PREFIX}%`],
  ],
];

/** Tryton words refusals in the context's language; `faults.ts` matches English. */
export const IN_ENGLISH = { language: 'en' } as const;

/** The ERP's number of a quotation or return: the sale's id, which a draft already has and keeps. */
export const documentNumber = (saleId: number) => String(saleId);

/** The sale id of a document number, or `null` when it cannot be one. */
export function saleIdOf(number: string): number | null {
  return /^[1-9]\d{0,15}$/.test(number) ? Number(number) : null;
}

export const rejected = (operation: string, message: string, reason: string) => new ErpError('ERP_REJECTED', `${operation}: ${message}`, { operation, reason });

/** A note erpfront wrote on a sale: `erpfront <ACTION> <ref>[ order <orderRef>]`, then the buyer's words. */
export interface DocumentNote {
  sale: number;
  action: string;
  ref: string;
  orderRef: string | null;
  note: string | null;
  at: string;
}

const NoteRows = z.array(z.object({ id, resource: z.string(), message: z.string().nullable(), create_date: datetime }));
const HEAD = /^erpfront (ACCEPT|DECLINE|REVISE) (\S+)(?: order (\S+))?$/;

/** erpfront's notes on these sales, oldest first (notes a person wrote are left out). */
export async function readNotes(rpc: TrytonRpc, operation: string, saleIds: readonly number[], options?: ErpCallOptions): Promise<DocumentNote[]> {
  if (saleIds.length === 0) return [];
  const rows = parseAnswer(
    NoteRows,
    await rpc.model(
      operation,
      'ir.note',
      'search_read',
      [
        [['resource', 'in', saleIds.map((s) => `sale.sale,${s}`)]],
        0,
        null,
        [
          ['create_date', 'ASC'],
          ['id', 'ASC'],
        ],
        ['resource', 'message', 'create_date'],
      ],
      {},
      options,
    ),
    operation,
    'notes',
  );
  return rows.flatMap((row) => {
    const [head = '', ...rest] = (row.message ?? '').split('\n');
    const match = HEAD.exec(head);
    if (!match) return [];
    const body = rest.join('\n');
    return [
      {
        sale: Number(row.resource.split(',')[1]),
        action: match[1]!,
        ref: match[2]!,
        orderRef: match[3] ?? null,
        note: body === '' ? null : body,
        at: row.create_date,
      },
    ];
  });
}

/** Writes one note of erpfront's on a sale. */
export async function writeNote(
  rpc: TrytonRpc,
  operation: string,
  saleId: number,
  note: { action: string; ref: string; orderRef: string | null; note: string | null },
  options?: ErpCallOptions,
): Promise<void> {
  const head = `erpfront ${note.action} ${note.ref}${note.orderRef ? ` order ${note.orderRef}` : ''}`;
  await rpc.model(operation, 'ir.note', 'create', [[{ resource: `sale.sale,${saleId}`, message: note.note ? `${head}\n${note.note}` : head }]], {}, options);
}

const PartyRows = z.array(z.object({ id, code: z.string(), addresses: z.array(id) }));
const ProductRows = z.array(z.object({ id, code: z.string(), sale_uom: id.nullable() }));

/** The party of `code` and the products of `skus`; refuses an unknown one (`UNKNOWN_CUSTOMER`, `UNKNOWN_SKU`). */
export async function partyAndProducts(rpc: TrytonRpc, operation: string, code: string, skus: readonly string[], options?: ErpCallOptions) {
  const [parties, products] = await Promise.all([
    rpc
      .model(operation, 'party.party', 'search_read', [[['code', '=', code]], 0, 1, [['id', 'ASC']], ['code', 'addresses']], {}, options)
      .then((r) => parseAnswer(PartyRows, r, operation, 'party')),
    rpc
      .model(operation, 'product.product', 'search_read', [[['code', 'in', [...new Set(skus)]]], 0, null, [['id', 'ASC']], ['code', 'sale_uom']], {}, options)
      .then((r) => parseAnswer(ProductRows, r, operation, 'products')),
  ]);
  const party = parties[0];
  if (!party) throw rejected(operation, `Tryton has no party ${code}`, 'UNKNOWN_CUSTOMER');
  const byCode = new Map(products.map((p) => [p.code, p]));
  const missing = skus.find((s) => !byCode.has(s));
  if (missing !== undefined) throw rejected(operation, `Tryton has no product ${missing}`, 'UNKNOWN_SKU');
  return { party, products: byCode };
}
