/**
 * What placing an order asks of company approvals (the gate the company feature sets) and how an
 * approval's flow is opened once, however often the order's credit is decided again.
 *
 * @module
 */
import type { UserError } from '../../../domain/orders/order-input.ts';
import type { ErpOrderLine } from '../../../ports/erp-connector.ts';
import type { RequestScope } from '../../../services/request-scope.ts';

/** What the approval gate is told of an order about to be written. */
export interface ApprovalCheck {
  scope: RequestScope;
  customerId: string;
  total: string;
  currency: string;
  lines: ReadonlyArray<ErpOrderLine & { category: string | null }>;
  shipToId: string;
}

/** An order that needs approval: `open` records its flow, just before the order is written. */
export interface ApprovalNeeded {
  open(orderId: string, now: number): Promise<void>;
}

/**
 * Decides, before an order is written, whether it waits for the company's approvers: `null` when
 * it does not; user errors when it cannot be taken at all (no approver could ever approve it, a
 * ship-to the buyer may not use).
 */
export interface OrderApprovalGate {
  check(order: ApprovalCheck): Promise<ApprovalNeeded | { userErrors: UserError[] } | null>;
}

/**
 * The approval's flow is opened once, for the first id tried: a credit decision taken again
 * (another order of the customer moved) writes the order under that same id, so no flow is left
 * behind for an id that was never written.
 */
export function openOnce(approval: ApprovalNeeded): ApprovalNeeded & { orderId?: string } {
  let opened: { id: string; done: Promise<void> } | null = null;
  return {
    get orderId() {
      return opened?.id;
    },
    open(orderId, now) {
      opened ??= { id: orderId, done: approval.open(orderId, now) };
      return opened.done;
    },
  };
}
