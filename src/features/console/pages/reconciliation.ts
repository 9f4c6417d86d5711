/**
 * Reconciliation: what comparing erpfront's orders with the ERP's found, and running it now.
 *
 * @module
 */
import { html } from 'hono/html';
import type { Finding, ReconciliationRunRecord } from '../../../ports/finding-store.ts';
import { ago, badge, type Html, orderPath, when } from './layout.ts';

export function reconciliationBody(findings: Finding[], lastRun: ReconciliationRunRecord | null, now: number, canRun: boolean): Html {
  return html`<div id="live">
    <section class="card" aria-labelledby="run-h">
      <h2 id="run-h">Last run</h2>
      ${
        lastRun
          ? html`<dl class="facts">
            <dt>Finished</dt><dd>${when(lastRun.finishedAt)} (${ago(lastRun.finishedAt, now)})</dd>
            <dt>Orders checked</dt><dd>${lastRun.ordersChecked}${lastRun.ordersUnchecked ? ` (${lastRun.ordersUnchecked} the ERP did not answer for)` : ''}</dd>
            <dt>Findings opened / resolved</dt><dd>${lastRun.findingsOpened} / ${lastRun.findingsResolved}</dd>
            <dt>Orders queued again</dt><dd>${lastRun.requeued.length}</dd>
          </dl>`
          : html`<p class="empty">Reconciliation has not run yet.</p>`
      }
      ${canRun ? html`<p><a class="button" href="/ops/reconciliation/run">Run reconciliation now</a></p>` : ''}
    </section>
    <section aria-labelledby="findings-h">
      <h2 id="findings-h">Findings</h2>
      ${
        findings.length === 0
          ? html`<p class="empty">No findings: erpfront's orders and the ERP's agree.</p>`
          : html`<table>
            <caption>Open findings first (first seen first), then resolved ones</caption>
            <thead><tr><th scope="col">State</th><th scope="col">Kind</th><th scope="col">Order</th><th scope="col">Customer</th><th scope="col">What is wrong</th><th scope="col">First seen</th><th scope="col">Last seen / resolved</th></tr></thead>
            <tbody>
              ${findings.map(
                (f) => html`<tr>
                  <td>${f.resolvedAt ? badge('ok', 'Resolved') : badge('warn', 'Open')}</td>
                  <td>${f.kind.replace(/_/g, ' ').toLowerCase()}</td>
                  <td><a href="${orderPath(f.orderId)}"><code>${f.orderId}</code></a>${f.erpOrderNumber ? html`<br /><span class="meta">ERP ${f.erpOrderNumber}</span>` : ''}</td>
                  <td>${f.customerId}</td>
                  <td>${f.detail}${
                    f.differences.length
                      ? html`<ul>${f.differences.map((d) => html`<li>${d.field}${d.sku ? ` ${d.sku}` : ''}: erpfront ${d.erpfront ?? '—'}, ERP ${d.erp ?? '—'}</li>`)}</ul>`
                      : ''
                  }</td>
                  <td>${when(f.firstSeenAt)}</td>
                  <td>${f.resolvedAt ? `resolved ${when(f.resolvedAt)}` : when(f.lastSeenAt)}</td>
                </tr>`,
              )}
            </tbody>
          </table>`
      }
    </section>
  </div>`;
}

export function confirmRunBody(csrf: string): Html {
  return html`<section class="card" aria-labelledby="confirm-h">
    <h2 id="confirm-h">Run reconciliation now?</h2>
    <p>This compares erpfront's recent orders with the ERP's, one by one, within the ERP budget's background share. Orders the ERP lost are queued again. It is written to the audit log under your name.</p>
    <form method="post" action="/ops/reconciliation/run" class="actions">
      <input type="hidden" name="csrf" value="${csrf}" />
      <button type="submit">Yes, run it now</button>
      <a class="button secondary" href="/ops/reconciliation">No, go back</a>
    </form>
  </section>`;
}
