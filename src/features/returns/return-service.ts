/**
 * Return requests: kept in the ERP-write outbox (`return.create`) until the ERP has them, then
 * the ERP's return read back in one batched call per page; and the checks a request passes
 * before it is written (reasons, order lines, shipped less returned).
 *
 * @module
 */
import { Big, formatAmount } from '../../domain/money.ts';
import type { UserError } from '../../domain/orders/order-input.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ErpConnector, ErpOrder, ErpReturn, ErpReturnLine, ErpReturnStatus } from '../../ports/erp-connector.ts';
import { ErpError } from '../../ports/erp-error.ts';
import type { Logger } from '../../ports/logger.ts';
import type { OutboxEntry } from '../../ports/outbox-store.ts';
import type { OutboxDispatcher, OutboxHandler } from '../../services/outbox/outbox-dispatcher.ts';

export const RETURN_CREATE = 'return.create';

export interface ReturnDeps {
  erp: ErpConnector;
  outbox: OutboxDispatcher;
  clock: Clock;
  /** The reason codes a buyer may give (RETURN_REASONS). */
  reasons: readonly string[];
  maxLines: number;
}

/** What `return.create` carries. */
export interface ReturnPayload {
  orderId: string;
  lines: ErpReturnLine[];
  [key: string]: unknown;
}

export interface ReturnView {
  id: string;
  customerId: string;
  status: ErpReturnStatus;
  orderId: string;
  erpReturnNumber: string | null;
  lines: ErpReturnLine[];
  creditMemo: { number: string; issuedAt: string; total: { amount: string; currency: string } } | null;
  requestedBy: string;
  createdAt: string;
  erpRefusal: string | null;
  stale: boolean;
}

export function returnCreateHandler(erp: ErpConnector): OutboxHandler {
  return {
    async send(entry, { sendBy, log }) {
      const payload = entry.payload as ReturnPayload;
      const created = await erp.createReturn(
        { externalRef: entry.id, customerId: entry.customerId!, orderRef: payload.orderId, lines: payload.lines },
        { priority: 'order', sendBy, log },
      );
      return { erpReturnNumber: created.number };
    },
    async find(entry, { log }) {
      const found = await erp.findReturnByExternalRef(entry.id, { priority: 'order', log });
      return found ? { erpReturnNumber: found.number } : null;
    },
  };
}

/** The ERP's returns of these entries (one call); `null` while the ERP does not answer. */
async function erpReturns(deps: ReturnDeps, entries: readonly OutboxEntry[], log: Logger): Promise<Map<string, ErpReturn> | null> {
  const refs = entries.filter((e) => e.status === 'DONE').map((e) => e.id);
  if (refs.length === 0) return new Map();
  try {
    return new Map((await deps.erp.getReturns(refs, { priority: 'status', log })).map((r) => [r.externalRef, r]));
  } catch (error) {
    if (error instanceof ErpError && error.transient) return null;
    throw error;
  }
}

export async function viewReturns(deps: ReturnDeps, entries: readonly OutboxEntry[], log: Logger): Promise<ReturnView[]> {
  const held = await erpReturns(deps, entries, log);
  return entries.map((entry) => {
    const payload = entry.payload as ReturnPayload;
    const erp = held?.get(entry.id) ?? null;
    const memo = erp?.creditMemo ?? null;
    return {
      id: entry.id,
      customerId: entry.customerId!,
      status: entry.status === 'REFUSED' ? 'REJECTED' : (erp?.status ?? 'REQUESTED'),
      orderId: payload.orderId,
      erpReturnNumber: (entry.result?.erpReturnNumber as string | undefined) ?? null,
      lines: erp?.lines ?? payload.lines,
      creditMemo: memo && {
        number: memo.number,
        issuedAt: memo.issuedAt,
        total: { amount: formatAmount(new Big(memo.total), memo.currency), currency: memo.currency },
      },
      requestedBy: entry.createdBy,
      createdAt: entry.createdAt,
      erpRefusal: entry.refusal?.reason ?? null,
      stale: entry.status === 'DONE' && held === null,
    };
  });
}

/** Checks the lines themselves (reasons, quantities, SKUs of the order); the user errors. */
export function validateReturnLines(lines: readonly ErpReturnLine[], order: { skus: ReadonlySet<string> }, deps: ReturnDeps): UserError[] {
  const errors: UserError[] = [];
  if (lines.length === 0) errors.push({ code: 'NO_LINES', message: 'A return needs at least one line.', field: ['lines'] });
  if (lines.length > deps.maxLines) errors.push({ code: 'TOO_MANY_LINES', message: `A return has at most ${deps.maxLines} lines.`, field: ['lines'] });
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    const at = ['lines', String(i)];
    if (!order.skus.has(line.sku)) errors.push({ code: 'SKU_NOT_ON_ORDER', message: `${line.sku} is not on this order.`, field: [...at, 'sku'] });
    if (seen.has(line.sku)) errors.push({ code: 'DUPLICATE_SKU', message: `${line.sku} is on two lines; put it on one.`, field: [...at, 'sku'] });
    seen.add(line.sku);
    if (!(line.quantity > 0)) errors.push({ code: 'INVALID_QUANTITY', message: 'A quantity to return is above 0.', field: [...at, 'quantity'] });
    if (!deps.reasons.includes(line.reason))
      errors.push({ code: 'UNKNOWN_RETURN_REASON', message: `The reason is one of ${deps.reasons.join(', ')}.`, field: [...at, 'reason'] });
  });
  return errors;
}

/**
 * Each line against what shipped less what the order's other returns (not rejected or cancelled)
 * take back. `others`: the customer's return entries of this order, as viewed.
 */
export function exceedsShipped(lines: readonly ErpReturnLine[], order: ErpOrder, others: readonly ReturnView[]): UserError[] {
  const open = others.filter((r) => r.status !== 'REJECTED' && r.status !== 'CANCELLED');
  const errors: UserError[] = [];
  lines.forEach((line, i) => {
    const shipped = order.lines.filter((l) => l.sku === line.sku).reduce((sum, l) => sum.plus(l.shippedQuantity), new Big(0));
    const returned = open.flatMap((r) => r.lines.filter((l) => l.sku === line.sku)).reduce((sum, l) => sum.plus(l.quantity), new Big(0));
    const left = shipped.minus(returned);
    if (left.lt(line.quantity))
      errors.push({
        code: 'RETURN_QUANTITY_EXCEEDS_SHIPPED',
        message: `At most ${left.toString()} of ${line.sku} can be returned: ${shipped.toString()} shipped, ${returned.toString()} returned or being returned.`,
        field: ['lines', String(i), 'quantity'],
      });
  });
  return errors;
}
