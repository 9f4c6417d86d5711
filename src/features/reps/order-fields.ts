/**
 * What the reps feature adds to an order: who placed it on the customer's behalf, and its history
 * — PLACED (by whom, as the order records it), the approval flow's steps when it needed one (the
 * company feature's record), SUBMITTED once the ERP took it. Seen by whoever may see the order:
 * the customer's buyers (its admins among them), the rep acting for it, operations.
 *
 * @module
 */
import type { ApprovalEvent } from '../../domain/company/approval-flow.ts';
import { expireIfDue } from '../../domain/company/approval-flow.ts';
import type { GraphQLContext } from '../../transport/graphql/context.ts';
import type { OrderView } from '../orders/services/order-view.ts';

type HistoryEntry = Omit<ApprovalEvent, 'action'> & { action: ApprovalEvent['action'] | 'PLACED' | 'SUBMITTED' };

export const OrderRepFields = {
  onBehalf: (order: OrderView) => (order.onBehalf ? { salesRepId: order.onBehalf.repId } : null),

  history: async (order: OrderView, _: unknown, context: GraphQLContext): Promise<HistoryEntry[]> => {
    // Entered in the ERP itself: erpfront has no history of it.
    if (order.placedBy === null) return [];
    const placed: HistoryEntry = {
      at: order.createdAt,
      by: order.placedBy,
      action: 'PLACED',
      note: order.onBehalf ? `by sales rep ${order.onBehalf.repId} on behalf of customer ${order.customerId}` : null,
    };
    const company = context.services.company;
    const flow = company ? await company.directory.store.flow(order.id) : null;
    const approval = flow ? expireIfDue(flow, company!.orders.clock.now()).history : [];
    const submitted: HistoryEntry[] =
      order.submittedAt && order.erpOrderNumber
        ? [{ at: order.submittedAt, by: 'erpfront', action: 'SUBMITTED', note: `in the ERP as ${order.erpOrderNumber}` }]
        : [];
    return [placed, ...approval, ...submitted];
  },
};
