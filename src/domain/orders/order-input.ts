/**
 * What a buyer may send as an order, checked before anything is read or written. Every problem is
 * reported at once, each with a code and the path of the field, so a form can mark them all.
 *
 * @module
 */

export interface OrderLineInput {
  sku: string;
  quantity: number;
  /** The unit the buyer means; must be the unit the item is sold in when given. */
  unit?: string | null;
}

export interface PaymentInput {
  method: 'ON_ACCOUNT' | 'CARD';
  /** The payment gateway's authorization reference, for `CARD`. */
  authorizationRef?: string | null;
}

export interface OrderInput {
  idempotencyKey?: string | null;
  poNumber?: string | null;
  lines: OrderLineInput[];
  shipToId?: string | null;
  requestedDate?: string | null;
  payment?: PaymentInput | null;
  notes?: string | null;
}

/** A problem with the input, as the API reports it (`userErrors`). */
export interface UserError {
  code: string;
  message: string;
  /** Path of the offending field, e.g. `["lines", "2", "quantity"]`; empty for the whole order. */
  field: string[];
}

export interface OrderInputLimits {
  maxLines: number;
  maxQuantity: number;
  /** Today, UTC (`YYYY-MM-DD`): a requested date before it is refused. */
  today: string;
}

/** Lengths after cXML/SAP conventions: a PO number fits cXML's orderID and SAP's BSTKD (35). */
export const FIELD_LIMITS = { poNumber: 35, notes: 1000, idempotencyKey: 255, sku: 64, authorizationRef: 128, shipToId: 64 } as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function tooLong(value: string | null | undefined, max: number, field: string[], label: string): UserError | null {
  return value && value.length > max ? { code: 'FIELD_TOO_LONG', message: `${label} is ${value.length} characters; at most ${max} are allowed.`, field } : null;
}

export function validateOrderInput(input: OrderInput, limits: OrderInputLimits): UserError[] {
  const errors: UserError[] = [];
  const push = (error: UserError | null) => error && errors.push(error);

  if (input.lines.length === 0) errors.push({ code: 'NO_LINES', message: 'An order needs at least one line.', field: ['lines'] });
  if (input.lines.length > limits.maxLines) {
    errors.push({ code: 'TOO_MANY_LINES', message: `An order has at most ${limits.maxLines} lines; split it.`, field: ['lines'] });
  }
  const seen = new Map<string, number>();
  input.lines.forEach((line, i) => {
    const at = ['lines', String(i)];
    const sku = line.sku.trim();
    if (sku === '') errors.push({ code: 'INVALID_SKU', message: 'A line needs a SKU.', field: [...at, 'sku'] });
    push(tooLong(sku, FIELD_LIMITS.sku, [...at, 'sku'], 'The SKU'));
    if (!Number.isFinite(line.quantity) || line.quantity <= 0) {
      errors.push({ code: 'INVALID_QUANTITY', message: `Quantity must be greater than zero, got ${line.quantity}.`, field: [...at, 'quantity'] });
    } else if (line.quantity > limits.maxQuantity) {
      errors.push({ code: 'INVALID_QUANTITY', message: `Quantity must be at most ${limits.maxQuantity}, got ${line.quantity}.`, field: [...at, 'quantity'] });
    }
    const first = seen.get(sku);
    if (first !== undefined) {
      errors.push({ code: 'DUPLICATE_LINE', message: `${sku} is already on line ${first + 1}; change its quantity instead.`, field: [...at, 'sku'] });
    } else if (sku) {
      seen.set(sku, i);
    }
  });

  push(tooLong(input.poNumber, FIELD_LIMITS.poNumber, ['poNumber'], 'The PO number'));
  push(tooLong(input.notes, FIELD_LIMITS.notes, ['notes'], 'The notes'));
  push(tooLong(input.idempotencyKey, FIELD_LIMITS.idempotencyKey, ['idempotencyKey'], 'The idempotency key'));
  push(tooLong(input.shipToId, FIELD_LIMITS.shipToId, ['shipToId'], 'The ship-to id'));
  if (input.requestedDate != null) {
    if (!DATE.test(input.requestedDate) || Number.isNaN(Date.parse(`${input.requestedDate}T00:00:00Z`))) {
      errors.push({ code: 'INVALID_DATE', message: `requestedDate must be a date like 2026-12-01, got ${input.requestedDate}.`, field: ['requestedDate'] });
    } else if (input.requestedDate < limits.today) {
      errors.push({ code: 'INVALID_DATE', message: `requestedDate ${input.requestedDate} is in the past.`, field: ['requestedDate'] });
    }
  }
  if (input.payment?.method === 'CARD') {
    const ref = input.payment.authorizationRef?.trim();
    if (!ref) {
      errors.push({
        code: 'PAYMENT_REFERENCE_REQUIRED',
        message: "A card payment needs the payment gateway's authorization reference.",
        field: ['payment', 'authorizationRef'],
      });
    }
    push(tooLong(ref, FIELD_LIMITS.authorizationRef, ['payment', 'authorizationRef'], 'The authorization reference'));
  }
  return errors;
}
