/**
 * A person's actions on an order that has not reached the ERP: operations replay a rejected order
 * or release a held one; a buyer (or operations) cancels. One place for all of them, whatever asks
 * (GraphQL's `replayOrder`/`releaseOrder`/`cancelOrder`, the ops console), so each is checked,
 * carried out and written to the audit log the same way: no transport can skip the audit.
 *
 * @module
 */
import type { AuditLog, AuditResult } from '../../../ports/audit-log.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { LocalOrderStatus, OrderStore, StoredOrder } from '../../../ports/order-store.ts';
import type { PaymentGateway } from '../../../ports/payment-gateway.ts';
import { auditAction } from '../../../services/ops-audit.ts';
import { voidCard } from './card-payment.ts';

/** What a person may do to an order, with the access-policy action that guards it. */
export const ORDER_ACTIONS = {
  replay: { action: 'order.replay', from: ['REJECTED'], to: 'QUEUED', done: 'replayed' },
  release: { action: 'order.release', from: ['ON_HOLD'], to: 'QUEUED', done: 'released' },
  cancel: { action: 'order.cancel', from: ['QUEUED', 'ON_HOLD', 'REJECTED', 'PENDING_APPROVAL'], to: 'CANCELLED', done: 'cancelled' },
} as const satisfies Record<string, { action: string; from: readonly LocalOrderStatus[]; to: LocalOrderStatus; done: string }>;

export type OrderActionKind = keyof typeof ORDER_ACTIONS;

/** Longer than any order id erpfront gives (about 30 characters): no such order, and not stored as one in the audit log. */
const MAX_ORDER_ID_CHARS = 200;

/** Who acts: the principal's subject, and whether the policy lets them act on a given order. */
export interface OrderActor {
  subject: string;
  /** The policy's answer for an order of `customerId` (another customer's order does not exist for a buyer). */
  mayActOn(customerId: string): boolean;
}

export type OrderActionOutcome =
  | { ok: true; order: StoredOrder }
  | { ok: false; code: 'ORDER_NOT_FOUND'; message: string }
  | { ok: false; code: 'INVALID_ORDER_STATE'; message: string; order: StoredOrder };

export interface OrderActionsOptions {
  store: OrderStore;
  clock: Clock;
  audit: AuditLog;
  payments: PaymentGateway | null;
  /** Wakes the dispatcher: a replayed or released order goes to the ERP now. */
  wake(): void;
}

export class OrderActions {
  readonly #o: OrderActionsOptions;

  constructor(options: OrderActionsOptions) {
    this.#o = options;
  }

  /**
   * Carries out `kind` on order `id` for `actor`, and audits it, done or refused. A store failure
   * is audited as failed (when the audit log is reachable) and thrown.
   */
  async run(kind: OrderActionKind, id: string, actor: OrderActor, log: Logger): Promise<OrderActionOutcome> {
    const { action, from, to, done } = ORDER_ACTIONS[kind];
    const { store, clock } = this.#o;
    const tooLong = id.length > MAX_ORDER_ID_CHARS;
    // The caller chose the id: what is written of it is bounded.
    const target = tooLong ? `${id.slice(0, MAX_ORDER_ID_CHARS)}…` : id;
    const audit = (result: AuditResult, detail: string) =>
      auditAction(this.#o.audit, { at: new Date(clock.now()).toISOString(), actor: actor.subject, action, target, result, detail }, log);
    let order: StoredOrder | null;
    let moved: StoredOrder | null = null;
    try {
      order = tooLong ? null : await store.get(id);
      if (order && actor.mayActOn(order.customerId)) moved = await store.transition(id, [...from], to, clock.now());
    } catch (error) {
      await audit(
        'failed',
        `Could not be ${done}: the order store did not answer (${error instanceof Error && 'code' in error ? String(error.code) : 'error'}).`,
      );
      throw error;
    }
    if (!order || !actor.mayActOn(order.customerId)) {
      const message = `No order ${target}.`;
      await audit('refused', message);
      return { ok: false, code: 'ORDER_NOT_FOUND', message };
    }
    if (!moved) {
      const message = `Order ${id} is ${order.status}; only ${from.join(' or ')} orders can be ${done}.`;
      await audit('refused', message);
      return { ok: false, code: 'INVALID_ORDER_STATE', message, order };
    }
    // A state change by a person (a buyer's cancellation, an operator's replay or release).
    log.info(`order ${done}`, { orderId: id, from: order.status, status: to, by: actor.subject });
    if (to === 'QUEUED') this.#o.wake();
    if (to === 'CANCELLED') await voidCard(this.#o.payments, moved, log);
    await audit('ok', `${capitalised(done)}: ${order.status} → ${to}.`);
    return { ok: true, order: moved };
  }
}

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
