/**
 * The orders that need a person: dead letters (the ERP refused them) and orders held for a credit
 * decision; one order's page with its audit trail; and the confirmation asked before any action.
 *
 * @module
 */
import { html } from 'hono/html';
import { withoutAddresses } from '../../../domain/loggable-error.ts';
import type { AuditEntry } from '../../../ports/audit-log.ts';
import type { StoredOrder } from '../../../ports/order-store.ts';
import { ORDER_ACTIONS, type OrderActionKind } from '../../orders/services/order-actions.ts';
import { auditTable } from './audit.ts';
import { ago, badge, type Html, orderPath, when } from './layout.ts';

/** What each action is called on a button, and what it does, in words. */
export const ACTION_WORDS: Readonly<Record<OrderActionKind, { label: string; effect: string; tone: 'primary' | 'danger' }>> = {
  replay: { label: 'Replay', effect: 'sends the order to the ERP again (fix the cause of the refusal first)', tone: 'primary' },
  release: { label: 'Release', effect: 'releases the held order: it is sent to the ERP', tone: 'primary' },
  cancel: { label: 'Cancel', effect: 'cancels the order for good: it never reaches the ERP (a card authorization is voided)', tone: 'danger' },
};

/** The actions an order in this status allows. */
export function actionsFor(order: StoredOrder): OrderActionKind[] {
  return (Object.keys(ORDER_ACTIONS) as OrderActionKind[]).filter((kind) => (ORDER_ACTIONS[kind].from as readonly string[]).includes(order.status));
}

const statusBadge = (status: string): Html =>
  badge(status === 'REJECTED' || status === 'CANCELLED' ? 'bad' : status === 'ON_HOLD' || status === 'QUEUED' ? 'warn' : 'ok', status.replace('_', ' '));

const actionLinks = (order: StoredOrder): Html =>
  html`<div class="actions">
    ${actionsFor(order).map(
      (kind) =>
        html`<a class="button ${ACTION_WORDS[kind].tone === 'danger' ? 'danger' : ''}" href="${orderPath(order.id)}/${kind}">${ACTION_WORDS[kind].label}<span class="skip-label"> order ${order.id}</span></a>`,
    )}
  </div>`;

function ordersTable(caption: string, orders: StoredOrder[], now: number, why: (o: StoredOrder) => Html | string): Html {
  if (orders.length === 0) return html`<p class="empty">${caption}: none.</p>`;
  return html`<table>
    <caption>${caption} (${orders.length}, oldest first)</caption>
    <thead><tr><th scope="col">Order</th><th scope="col">Customer</th><th scope="col">Placed</th><th scope="col" class="num">Total</th><th scope="col">Why</th><th scope="col">Actions</th></tr></thead>
    <tbody>
      ${orders.map(
        (o) => html`<tr>
          <td><a href="${orderPath(o.id)}"><code>${o.id}</code></a></td>
          <td>${o.customerId}</td>
          <td>${when(o.createdAt)}<br /><span class="meta">${ago(o.createdAt, now)}</span></td>
          <td class="num">${o.total} ${o.currency}</td>
          <td>${why(o)}</td>
          <td>${actionLinks(o)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

export function ordersBody(deadLetters: StoredOrder[], held: StoredOrder[], now: number): Html {
  return html`<div id="live">
    <section aria-labelledby="dead-h">
      <h2 id="dead-h">Dead letters: refused by the ERP</h2>
      ${ordersTable('Dead letters', deadLetters, now, (o) => html`${o.rejection ? html`<strong>${o.rejection.reason}</strong>: ${withoutAddresses(o.rejection.message, 300)}` : 'no reason given'}`)}
    </section>
    <section aria-labelledby="held-h">
      <h2 id="held-h">Held for a decision</h2>
      ${ordersTable('Held orders', held, now, (o) => `Credit decision ${o.creditDecision.decision}${o.creditDecision.reason ? `: ${o.creditDecision.reason}` : ''}`)}
    </section>
  </div>`;
}

export function orderBody(order: StoredOrder, audit: AuditEntry[], now: number, flash: Html | ''): Html {
  return html`${flash}<div id="live">
    <section class="card" aria-labelledby="order-h">
      <h2 id="order-h">Order <code>${order.id}</code></h2>
      <dl class="facts">
        <dt>Status</dt><dd>${statusBadge(order.status)}</dd>
        <dt>Customer</dt><dd>${order.customerId}</dd>
        <dt>Placed by</dt><dd>${order.placedBy}</dd>
        <dt>Placed</dt><dd>${when(order.createdAt)} (${ago(order.createdAt, now)})</dd>
        <dt>Last change</dt><dd>${when(order.updatedAt)}</dd>
        <dt>PO number</dt><dd>${order.request.poNumber ?? '—'}</dd>
        <dt>Total</dt><dd>${order.total} ${order.currency}</dd>
        <dt>ERP order number</dt><dd>${order.erpOrderNumber ?? '—'}</dd>
        <dt>Attempts to submit</dt><dd>${order.attempts}</dd>
        ${order.rejection ? html`<dt>Refused by the ERP</dt><dd>${order.rejection.reason}: ${withoutAddresses(order.rejection.message, 300)}</dd>` : ''}
        ${order.lastError ? html`<dt>Last error</dt><dd>${withoutAddresses(order.lastError, 300)}</dd>` : ''}
        <dt>Credit decision</dt><dd>${order.creditDecision.decision}${order.creditDecision.reason ? ` (${order.creditDecision.reason})` : ''}</dd>
      </dl>
      ${actionsFor(order).length ? html`<h3>Actions</h3>${actionLinks(order)}` : ''}
    </section>
    <section aria-labelledby="lines-h">
      <h2 id="lines-h">Lines</h2>
      <table>
        <thead><tr><th scope="col">SKU</th><th scope="col" class="num">Quantity</th><th scope="col">Unit</th><th scope="col" class="num">Unit price</th></tr></thead>
        <tbody>${order.request.lines.map((l) => html`<tr><td>${l.sku}</td><td class="num">${l.quantity}</td><td>${l.unitOfMeasure}</td><td class="num">${l.unitPrice} ${order.currency}</td></tr>`)}</tbody>
      </table>
    </section>
    <section aria-labelledby="audit-h">
      <h2 id="audit-h">Audit trail of this order</h2>
      ${audit.length ? auditTable(audit, { showTarget: false }) : html`<p class="empty">No operations action on this order yet.</p>`}
    </section>
  </div>`;
}

/** The confirmation step: what will happen, and the form that does it. */
export function confirmBody(order: StoredOrder, kind: OrderActionKind, csrf: string): Html {
  const words = ACTION_WORDS[kind];
  return html`<section class="card" aria-labelledby="confirm-h">
    <h2 id="confirm-h">${words.label} order <code>${order.id}</code>?</h2>
    <p>This ${words.effect}. The order is <strong>${order.status}</strong>, customer ${order.customerId}, ${order.total} ${order.currency}. It is written to the audit log under your name.</p>
    <form method="post" action="${orderPath(order.id)}/${kind}" class="actions">
      <input type="hidden" name="csrf" value="${csrf}" />
      <button type="submit" class="${words.tone === 'danger' ? 'danger' : ''}">Yes, ${words.label.toLowerCase()} order ${order.id}</button>
      <a class="button secondary" href="${orderPath(order.id)}">No, go back</a>
    </form>
  </section>`;
}
