/**
 * Reorder: a past order (or a past quote) of the customer becomes a checkout preview at today's
 * prices and availability — not the quote's prices: those are had by accepting the quote. Lines the ERP no longer sells to the customer (discontinued, restricted, gone
 * from the catalog) are left out of the preview and listed with the reason, so a buyer sees what
 * changed before ordering again. Like the preview, it writes nothing.
 *
 * @module
 */
import type { UserError } from '../../../domain/orders/order-input.ts';
import { assertSoldTo } from '../../../domain/pricing/sales-restriction.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { ErpOrderLine } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import { atPriority, type RequestScope } from '../../../services/request-scope.ts';
import { readOrFail } from '../../orders/services/order-draft.ts';
import { previewCheckout, type CheckoutPreview, type PreviewDeps } from './checkout-preview.ts';

/** A line of the past order that cannot be ordered again, and why. */
export interface UnavailableLine {
  sku: string;
  quantity: number;
  /** `NOT_SOLD_TO_CUSTOMER` (discontinued or restricted) or `UNKNOWN_SKU` (gone from the catalog). */
  reason: string;
  message: string;
}

export interface ReorderResult {
  preview: CheckoutPreview | null;
  unavailableLines: UnavailableLine[];
  userErrors: UserError[];
}

/** The past order (or quote) as far as a reorder needs it; `null` when the caller may not see it. */
export interface PastOrder {
  customerId: string;
  shipToId: string | null;
  lines: ReadonlyArray<Pick<ErpOrderLine, 'sku' | 'quantity'>>;
  /** What it was, for the user errors: a past `order` (the default) or a `quote`. */
  kind?: 'order' | 'quote';
}

/** Previews `past` again for the scope's customer, today. */
export async function reorder(deps: PreviewDeps, scope: RequestScope, past: PastOrder): Promise<ReorderResult> {
  const customerId = scope.customerId;
  if (customerId === null || past.customerId !== customerId) throw new TypeError("reorder: the past order must be the scope's customer's");
  const orderScope = atPriority(deps, scope, 'order');
  const account = await readOrFail(() => orderScope.reader.account(customerId), 'UNKNOWN_CUSTOMER', `Customer ${customerId} is not known to the ERP.`);
  if (Array.isArray(account)) return { preview: null, unavailableLines: [], userErrors: account };

  // Each line's item, read together (one batched call), then checked against today's catalog.
  const unavailableLines: UnavailableLine[] = [];
  const checked = await Promise.all(
    past.lines.map(async (line) => {
      try {
        assertSoldTo((await orderScope.reader.item(line.sku)).value, account.value);
        return line;
      } catch (error) {
        if (error instanceof ErpError && error.code === 'ERP_NOT_FOUND') {
          unavailableLines.push({ sku: line.sku, quantity: line.quantity, reason: 'UNKNOWN_SKU', message: `${line.sku} is no longer in the catalog.` });
          return null;
        }
        if (error instanceof DomainError && error.code === 'NOT_SOLD_TO_CUSTOMER') {
          unavailableLines.push({ sku: line.sku, quantity: line.quantity, reason: error.code, message: error.message });
          return null;
        }
        throw error;
      }
    }),
  );
  const lines = checked.filter((line) => line !== null).map((line) => ({ sku: line.sku, quantity: line.quantity }));
  if (lines.length === 0) {
    return {
      preview: null,
      unavailableLines,
      userErrors: [
        {
          code: 'NOTHING_TO_REORDER',
          message: `No line of this ${past.kind ?? 'order'} is sold any more.`,
          field: [past.kind === 'quote' ? 'quoteId' : 'orderId'],
        },
      ],
    };
  }
  // The same ship-to when it is still one of the customer's addresses; the default one otherwise.
  const shipToId = past.shipToId && account.value.shipTos.some((s) => s.id === past.shipToId) ? past.shipToId : null;
  const preview = await previewCheckout(deps, scope, { lines, shipToId });
  return { preview, unavailableLines, userErrors: [] };
}
