/**
 * The audit log: every operations action, newest first.
 *
 * @module
 */
import { html } from 'hono/html';
import type { AuditEntry } from '../../../ports/audit-log.ts';
import { badge, type Html, orderPath, when } from './layout.ts';

const resultBadge = (result: AuditEntry['result']): Html =>
  result === 'ok' ? badge('ok', 'Done') : result === 'refused' ? badge('warn', 'Refused') : badge('bad', 'Failed');

/** Targets that are orders link to the order's page. */
const target = (entry: AuditEntry): Html | string =>
  entry.target === null ? '—' : entry.action.startsWith('order.') ? html`<a href="${orderPath(entry.target)}"><code>${entry.target}</code></a>` : entry.target;

export function auditTable(entries: AuditEntry[], options: { showTarget: boolean }): Html {
  return html`<table>
    <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th>${options.showTarget ? html`<th scope="col">On</th>` : ''}<th scope="col">Result</th><th scope="col">Detail</th></tr></thead>
    <tbody>
      ${entries.map(
        (e) =>
          html`<tr><td>${when(e.at)}</td><td>${e.actor}</td><td class="nowrap"><code>${e.action}</code></td>${options.showTarget ? html`<td>${target(e)}</td>` : ''}<td>${resultBadge(e.result)}</td><td>${e.detail}</td></tr>`,
      )}
    </tbody>
  </table>`;
}

export function auditBody(entries: AuditEntry[]): Html {
  return html`<div id="live">
    ${entries.length ? auditTable(entries, { showTarget: true }) : html`<p class="empty">No operations action recorded yet.</p>`}
  </div>`;
}
