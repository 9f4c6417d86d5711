/**
 * The business rules the sandbox ERP applies to an order before it accepts it, as an ERP's
 * order entry would: the customer, ship-to, currency and PO number must fit the account, every
 * line must be an item sold to this customer in its unit of measure, and an order on account
 * must fit the customer's credit. A refusal carries a reason code, which the API answers with 422.
 *
 * @module
 */
import Big from 'big.js';
import type { CustomerAccount, ErpOrderRequest } from '../ports/erp-connector.ts';
import type { DataSet } from './data-set.ts';

/** The reasons the sandbox refuses an order for, as `reason` in its 422 answers. */
export type RefusalReason = 'CREDIT_HOLD' | 'CREDIT_LIMIT_EXCEEDED' | 'ITEM_NOT_SOLD' | 'UNKNOWN_ITEM' | 'UNKNOWN_SHIP_TO' | 'UNKNOWN_CUSTOMER' | 'REJECTED';

export interface Refusal {
  reason: string;
  message: string;
}

/** The order's total: each line's amount rounded half-even to cents, then summed. */
export function orderTotal(lines: ErpOrderRequest['lines']): string {
  return lines.reduce((sum, line) => sum.plus(new Big(line.unitPrice).times(line.quantity).round(2, Big.roundHalfEven)), new Big(0)).toFixed(2);
}

/**
 * Checks an order against the account and the catalog; the first problem found, or `null` when
 * the order may be entered. `customer`'s credit figures must include the orders already entered.
 */
export function refusalOf(request: ErpOrderRequest, data: DataSet, customer: CustomerAccount | undefined, total: string): Refusal | null {
  if (!customer) return refuse('UNKNOWN_CUSTOMER', `Customer ${request.customerId} does not exist`);
  if (!customer.shipTos.some((address) => address.id === request.shipToId)) {
    return refuse('UNKNOWN_SHIP_TO', `Ship-to ${request.shipToId} is not an address of customer ${customer.id}`);
  }
  if (request.currency !== customer.currency) {
    return refuse('REJECTED', `Customer ${customer.id} is invoiced in ${customer.currency}, not ${request.currency}`);
  }
  if (customer.poRequired && !request.poNumber?.trim()) {
    return refuse('REJECTED', `Customer ${customer.id} requires a purchase-order number on every order`);
  }
  for (const [i, line] of request.lines.entries()) {
    const item = data.itemsBySku.get(line.sku);
    const where = `Line ${i + 1}`;
    if (!item) return refuse('UNKNOWN_ITEM', `${where}: item ${line.sku} does not exist`);
    if (!item.salable) return refuse('ITEM_NOT_SOLD', `${where}: item ${line.sku} is discontinued`);
    const lists = item.restrictedToPriceLists;
    if (lists !== null && (customer.priceListId === null || !lists.includes(customer.priceListId))) {
      return refuse('ITEM_NOT_SOLD', `${where}: item ${line.sku} is not sold to customer ${customer.id}`);
    }
    if (line.unitOfMeasure !== item.unitOfMeasure) {
      return refuse('REJECTED', `${where}: item ${line.sku} is sold in ${item.unitOfMeasure}, not ${line.unitOfMeasure}`);
    }
  }
  // Credit is for orders on account only: a card authorized at checkout pays for its order.
  if (request.payment.method !== 'ON_ACCOUNT') return null;
  const { credit } = customer;
  if (credit.onHold) {
    return refuse('CREDIT_HOLD', `Customer ${customer.id} is on credit hold${credit.holdReason ? `: ${credit.holdReason}` : ''}`);
  }
  const exposure = new Big(credit.balance).plus(credit.openOrders).plus(total);
  if (credit.limit !== null && exposure.gt(credit.limit)) {
    const available = new Big(credit.limit).minus(credit.balance).minus(credit.openOrders);
    return refuse(
      'CREDIT_LIMIT_EXCEEDED',
      `Order total ${total} ${request.currency} exceeds the credit available to customer ${customer.id} ` +
        `(${(available.lt(0) ? new Big(0) : available).toFixed(2)} of ${credit.limit})`,
    );
  }
  return null;
}

function refuse(reason: RefusalReason, message: string): Refusal {
  return { reason, message };
}
