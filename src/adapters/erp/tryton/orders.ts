/**
 * Orders as Tryton sales, entered the way Tryton's own client enters them: the header from the
 * sale's `on_change` of the party (invoice address, payment term, price list), each line's taxes
 * from the sale line's `on_change` of the product, erpfront's unit prices, then `quote` and
 * `confirm` — three separate transactions, since JSON-RPC has no multi-call transaction.
 *
 * Exactly once: erpfront's order id is the sale's `reference`, and `createOrder` first looks for
 * a sale with it. One found is resumed where it stopped (a draft is quoted, a quotation
 * confirmed), never entered twice. `findOrderByExternalRef` ignores drafts: a draft is an entry
 * cut short, which `createOrder` completes.
 *
 * Refusals: a `UserError` on `quote` (not enough forecast stock) rejects with `ERP_REJECTED`
 * (`INSUFFICIENT_STOCK`) after deleting the draft, so nothing stays entered. Tryton's credit
 * limit refuses `confirm`: the sale stays a quotation and `createOrder` answers it `ON_HOLD`, with
 * Tryton's refusal as its `holdReason` — the order is in Tryton, waiting for a person, exactly as
 * Tryton's client leaves it.
 *
 * @module
 */
import { z } from 'zod';
import type { ErpCallOptions, ErpHoldReason, ErpOrder, ErpOrderRequest, ErpOrders } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { NOT_A_DOCUMENT } from './document-entry.ts';
import { fromRefusal } from './hold-reason.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { chooseWarehouse, readWarehouses, saleHeaderDefaults, saleLineDefaults } from './sale-defaults.ts';
import { searchSales, SALE_FIELDS, SaleRow, toOrders } from './sale-read.ts';
import { unitCode } from './units.ts';
import { id, parseAnswer, related, toDate, toDecimal } from './values.ts';

export type OrderCalls = ErpOrders;

export interface TrytonOrderOptions {
  /** Code of the warehouse sales ship from when Tryton does not choose one (it has several). */
  warehouse?: string;
}

const PartyRows = z.array(z.object({ id, code: z.string(), addresses: z.array(id) }));
const ProductRows = z.array(z.object({ id, code: z.string(), 'sale_uom.': related({ symbol: z.string() }) }));
/**
 * Tryton words a refusal in the language of the call's context, else in the server's default
 * language; `faults.ts` recognises the refusals of order entry by their English text, so these
 * calls ask for English whatever the database is set up for.
 */
const IN_ENGLISH = { language: 'en' } as const;

const rejected = (message: string, reason: string, cause?: unknown, operation = 'createOrder') =>
  new ErpError('ERP_REJECTED', `${operation}: ${message}`, { operation, reason, cause });

/** The order calls over one Tryton session. */
export function orderCalls(rpc: TrytonRpc, settings: TrytonOrderOptions = {}): OrderCalls {
  async function saleByReference(operation: string, reference: string, includeDrafts: boolean, options?: ErpCallOptions): Promise<SaleRow | null> {
    const domain: unknown[] = [['reference', '=', reference]];
    if (!includeDrafts) domain.push(['state', '!=', 'draft']);
    const rows = parseAnswer(
      z.array(SaleRow),
      await rpc.model(operation, 'sale.sale', 'search_read', [domain, 0, 1, [['id', 'ASC']], SALE_FIELDS], {}, options),
      operation,
      'sales',
    );
    return rows[0] ?? null;
  }

  /** Enters the sale (unless `found`), then quotes and confirms it: the steps after the search. */
  async function enterAndConfirm(order: ErpOrderRequest, found: SaleRow | null, options?: ErpCallOptions): Promise<ErpOrder> {
    const op = 'createOrder';
    let sale = found;
    if (sale && sale['party.']?.code !== order.customerId) {
      throw new ErpError(
        'ERP_BAD_RESPONSE',
        `createOrder: Tryton's sale ${sale.number ?? sale.id} with reference ${order.externalRef} is ${sale['party.']?.code}'s, not ${order.customerId}'s`,
        { operation: op },
      );
    }
    if (!sale) {
      await enter(order, options);
      sale = await saleByReference(op, order.externalRef, true, options);
      if (!sale)
        throw new ErpError('ERP_BAD_RESPONSE', `createOrder: Tryton created a sale with reference ${order.externalRef} but does not find it`, {
          operation: op,
        });
    }
    const refusal = await advance(sale, options);
    const [entered] = await searchSales(rpc, op, [['id', '=', sale.id]], { offset: 0, limit: 1, order: [] }, options);
    if (!entered) throw new ErpError('ERP_BAD_RESPONSE', `createOrder: Tryton's sale ${sale.id} vanished after confirming`, { operation: op });
    // Tryton's own words for the refusal just met, rather than the rule's re-reading of it.
    return refusal && entered.status === 'ON_HOLD' ? { ...entered, holdReason: refusal } : entered;
  }

  const enter = (order: ErpOrderRequest, options?: ErpCallOptions) => enterDraftSale(rpc, settings, order, 'createOrder', options);

  /** Quotes and confirms the sale; resolves with Tryton's reason when it refused to confirm. */
  async function advance(sale: SaleRow, options?: ErpCallOptions): Promise<ErpHoldReason | null> {
    const op = 'createOrder';
    if (sale.state === 'draft') {
      try {
        await rpc.model(op, 'sale.sale', 'quote', [[sale.id]], IN_ENGLISH, options);
      } catch (error) {
        if (!(error instanceof ErpError) || error.code !== 'ERP_REJECTED') throw error;
        // Refused on its merits: remove the draft, so the order is not entered at all.
        const cleanup = await rpc.model(op, 'sale.sale', 'delete', [[sale.id]], {}, options).then(
          () => '',
          (e: unknown) => ` (the draft sale ${sale.id} could not be deleted: ${String(e)})`,
        );
        throw new ErpError('ERP_REJECTED', `${error.message}${cleanup}`, { operation: op, reason: error.reason, cause: error });
      }
    }
    if (sale.state === 'draft' || sale.state === 'quotation') {
      try {
        await rpc.model(op, 'sale.sale', 'confirm', [[sale.id]], IN_ENGLISH, options);
      } catch (error) {
        // Over the credit limit: Tryton leaves a quotation for a person to confirm; that is ON_HOLD.
        if (error instanceof ErpError && error.code === 'ERP_REJECTED' && error.reason === 'CREDIT_LIMIT_EXCEEDED') return fromRefusal(error);
        throw error;
      }
    }
    return null;
  }

  return {
    /**
     * Enters (or resumes) the sale with `order.externalRef` as its reference, quotes and confirms
     * it. Resolves `OPEN`, or `ON_HOLD` when Tryton's credit limit left it a quotation. Rejects
     * `ERP_REJECTED` for Tryton's refusals (reasons: `INSUFFICIENT_STOCK`, `UNKNOWN_CUSTOMER`,
     * `UNKNOWN_SKU`, `UNKNOWN_SHIP_TO`, `UNIT_MISMATCH`, `CURRENCY_NOT_SUPPORTED`,
     * `INVALID_ORDER`, `NEEDS_CONFIRMATION`, `ERP_USER_ERROR`); transient codes leave the outcome
     * unknown, and calling again is safe.
     */
    async createOrder(order: ErpOrderRequest, options?: ErpCallOptions): Promise<ErpOrder> {
      const op = 'createOrder';
      if (order.externalRef === '') throw new TypeError('createOrder: expected a non-empty external reference');
      const sale = await saleByReference(op, order.externalRef, true, options);
      try {
        return await enterAndConfirm(order, sale, options);
      } catch (error) {
        // The search went through: a later refused connection no longer means "nothing was sent".
        if (error instanceof ErpError && error.unsent) {
          throw new ErpError(error.code, error.message, { cause: error.cause, operation: op, retryAfterMs: error.retryAfterMs, reason: error.reason });
        }
        throw error;
      }
    },

    async findOrderByExternalRef(externalRef: string, options?: ErpCallOptions): Promise<ErpOrder | null> {
      const op = 'findOrderByExternalRef';
      if (externalRef === '') throw new TypeError('findOrderByExternalRef: expected a non-empty external reference');
      const sale = await saleByReference(op, externalRef, false, options);
      return sale ? ((await toOrders(rpc, op, [sale], options))[0] ?? null) : null;
    },

    /** Every sale with this reference but drafts, oldest first. */
    async findOrdersByExternalRef(externalRef: string, options?: ErpCallOptions): Promise<ErpOrder[]> {
      const op = 'findOrdersByExternalRef';
      if (externalRef === '') throw new TypeError('findOrdersByExternalRef: expected a non-empty external reference');
      return searchSales(
        rpc,
        op,
        [
          ['reference', '=', externalRef],
          ['state', '!=', 'draft'],
        ],
        { offset: 0, limit: 100, order: [['id', 'ASC']] },
        options,
      );
    },

    /** Newest first; drafts (not entered yet) are left out. */
    async listOrders(customerId: string, page: { offset: number; limit: number }, options?: ErpCallOptions) {
      const op = 'listOrders';
      const { offset, limit } = page;
      if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 0) {
        throw new TypeError(`listOrders: offset and limit must be integers >= 0, got ${offset} and ${limit}`);
      }
      const domain = [
        ['party.code', '=', customerId],
        ['state', '!=', 'draft'],
        // Quotations and returns are sales too; they are not the customer's orders.
        NOT_A_DOCUMENT,
      ];
      const [orders, total] = await Promise.all([
        limit === 0
          ? []
          : searchSales(
              rpc,
              op,
              domain,
              {
                offset,
                limit,
                order: [
                  ['create_date', 'DESC'],
                  ['id', 'DESC'],
                ],
              },
              options,
            ),
        rpc.model(op, 'sale.sale', 'search_count', [domain], {}, options).then((r) => parseAnswer(z.number().int().nonnegative(), r, op, 'sale count')),
      ]);
      return { orders, total };
    },
  };
}

/**
 * Enters a draft sale for the order, as Tryton's client would (see the module comment); its id.
 * Refusals of erpfront's data are `ERP_REJECTED`. `op` names the port method it serves
 * (`createOrder`, or `quoteTotals`, which deletes the draft again).
 */
export async function enterDraftSale(
  rpc: TrytonRpc,
  settings: TrytonOrderOptions,
  order: ErpOrderRequest,
  op: string,
  options?: ErpCallOptions,
): Promise<number> {
  const { currency } = await rpc.session(options);
  if (order.currency !== currency.code)
    throw rejected(`Tryton's company sells in ${currency.code}, not ${order.currency}`, 'CURRENCY_NOT_SUPPORTED', undefined, op);
  const skus = [...new Set(order.lines.map((l) => l.sku))];
  const [parties, products, warehouses] = await Promise.all([
    rpc
      .model(op, 'party.party', 'search_read', [[['code', '=', order.customerId]], 0, 1, [['id', 'ASC']], ['code', 'addresses']], {}, options)
      .then((r) => parseAnswer(PartyRows, r, op, 'party')),
    rpc
      .model(op, 'product.product', 'search_read', [[['code', 'in', skus]], 0, null, [['id', 'ASC']], ['code', 'sale_uom.symbol']], {}, options)
      .then((r) => parseAnswer(ProductRows, r, op, 'products')),
    readWarehouses(rpc, op, options),
  ]);
  const party = parties[0];
  if (!party) throw rejected(`Tryton has no party ${order.customerId}`, 'UNKNOWN_CUSTOMER', undefined, op);
  const shipTo = Number(order.shipToId);
  if (!party.addresses.includes(shipTo))
    throw rejected(`ship-to ${order.shipToId} is not an address of ${order.customerId} in Tryton`, 'UNKNOWN_SHIP_TO', undefined, op);
  const product = new Map(products.map((p) => [p.code, p]));
  for (const line of order.lines) {
    const p = product.get(line.sku);
    if (!p) throw rejected(`Tryton has no product ${line.sku}`, 'UNKNOWN_SKU', undefined, op);
    const unit = unitCode(p['sale_uom.']?.symbol ?? 'u');
    if (unit !== line.unitOfMeasure) throw rejected(`${line.sku} sells in ${unit} in Tryton, not ${line.unitOfMeasure}`, 'UNIT_MISMATCH', undefined, op);
  }
  // What Tryton's client does: the party fills the header, each product its line's taxes (with
  // the party's tax rule, if any); the unit prices stay erpfront's.
  const header = await saleHeaderDefaults(rpc, op, party.id, options);
  const warehouse = chooseWarehouse(header, warehouses, settings.warehouse);
  const taxes = new Map(
    await Promise.all(
      [...product.values()].map(
        async (p) =>
          [
            p.code,
            (await saleLineDefaults(rpc, op, { product: p.id, unit: p['sale_uom.']?.id ?? null }, { party: party.id, currency: currency.id, header }, options))
              .taxes,
          ] as const,
      ),
    ),
  );
  const comment = [
    order.notes,
    order.requestedDate ? `Requested date: ${order.requestedDate}` : null,
    order.payment.method === 'CARD' ? `Paid by card, authorization ${order.payment.authorizationRef}` : null,
  ]
    .filter((c) => c !== null)
    .join('\n');
  const created = await rpc.model(
    op,
    'sale.sale',
    'create',
    [
      [
        {
          party: party.id,
          invoice_address: header.invoice_address ?? shipTo,
          shipment_address: shipTo,
          payment_term: header.payment_term ?? null,
          price_list: header.price_list ?? null,
          warehouse,
          reference: order.externalRef,
          description: order.poNumber,
          comment: comment || null,
          // Tryton ships no earlier than the sale's shipping date.
          ...(order.requestedDate ? { shipping_date: toDate(order.requestedDate) } : {}),
          lines: [
            [
              'create',
              order.lines.map((line) => ({
                type: 'line',
                product: product.get(line.sku)!.id,
                quantity: line.quantity,
                unit: product.get(line.sku)!['sale_uom.']?.id ?? null,
                unit_price: toDecimal(line.unitPrice),
                taxes: [['add', taxes.get(line.sku) ?? []]],
              })),
            ],
          ],
        },
      ],
    ],
    IN_ENGLISH,
    options,
  );
  return parseAnswer(z.array(id).length(1), created, op, 'created sale')[0]!;
}
