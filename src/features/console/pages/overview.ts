/**
 * The overview: is the ERP answering, is erpfront keeping up, and what needs a person now.
 *
 * @module
 */
import { html } from 'hono/html';
import { FINDING_KINDS } from '../../../ports/finding-store.ts';
import { hitRatio } from '../metric-readings.ts';
import type { OverviewStatus, Reading } from '../status.ts';
import { ago, badge, duration, type Html, percent, when } from './layout.ts';

const unavailable = (reading: { ok: false; problem: string }) => html`<p>${badge('warn', 'Unavailable')} ${reading.problem}</p>`;
const notReported = (what: string) => html`<p>${badge('none', 'Not reported')} ${what} does not report its status on this deployment.</p>`;

function erpSection(s: OverviewStatus, now: number): Html {
  const b = s.breaker;
  const breakerBadge =
    b.state === 'closed'
      ? badge('ok', 'Closed (calls go through)')
      : b.state === 'open'
        ? badge('bad', 'Open (calls refused)')
        : badge('warn', 'Half-open (testing)');
  const erp = s.erp.ok
    ? html`<dt>ERP</dt>
        <dd>${s.erp.value.reachable ? badge('ok', 'Answering') : badge('bad', `Down since ${when(s.erp.value.downSince)}`)}</dd>
        ${s.erp.value.lastError ? html`<dt>Last error</dt><dd>${s.erp.value.lastError}</dd>` : ''}
        <dt>Checked</dt><dd>${ago(s.erp.value.checkedAt, now)}</dd>`
    : html`<dt>ERP</dt><dd>${badge('warn', 'Unknown')} ${s.erp.problem}</dd>`;
  const calls = s.metrics.ok ? Object.entries(s.metrics.value.erpCalls).sort(([a], [b]) => a.localeCompare(b)) : [];
  return html`<section class="card" aria-labelledby="erp-h">
    <h2 id="erp-h">ERP health</h2>
    <dl class="facts">
      <dt>Connector</dt><dd>${s.connector}</dd>
      ${erp}
      <dt>Circuit breaker</dt><dd>${breakerBadge}</dd>
      <dt>In this state for</dt><dd>${duration((now - b.since) / 1000)}</dd>
      <dt>Recent calls failed</dt><dd>${b.recentFailures} of ${b.recentCalls}</dd>
      ${b.nextProbeAt ? html`<dt>Next test call</dt><dd>${when(b.nextProbeAt)}</dd>` : ''}
      <dt>Calls since start</dt>
      <dd>${calls.length ? calls.map(([outcome, n], i) => html`${i ? ', ' : ''}${outcome.replace(/_/g, ' ')} ${n}`) : 'none yet'}</dd>
    </dl>
  </section>`;
}

function budgetSection(s: OverviewStatus): Html {
  const { limits, now: snapshot, priorities } = s.budget;
  const waits = s.metrics.ok ? s.metrics.value.budgetWaits : {};
  return html`<section class="card" aria-labelledby="budget-h">
    <h2 id="budget-h">ERP budget</h2>
    <p class="meta">At most ${limits.requestsPerSecond} calls a second and ${limits.maxConcurrent} at once${s.budget.now.pausedUntil ? '' : '.'}
      ${snapshot.pausedUntil ? html` — ${badge('warn', `Paused by the ERP until ${when(snapshot.pausedUntil)}`)}` : ''}</p>
    <dl class="facts"><dt>Calls in flight</dt><dd>${snapshot.inFlight} of ${limits.maxConcurrent}</dd></dl>
    <table>
      <caption>By priority (highest first)</caption>
      <thead><tr><th scope="col">Priority</th><th scope="col" class="num">Waiting now</th><th scope="col" class="num">Calls since start</th><th scope="col" class="num">Average wait</th></tr></thead>
      <tbody>
        ${priorities.map((p) => {
          const w = waits[p];
          return html`<tr><th scope="row">${p}</th><td class="num">${snapshot.waiting[p as keyof typeof snapshot.waiting] ?? 0}</td><td class="num">${w?.count ?? 0}</td><td class="num">${w?.count ? `${Math.round((w.seconds / w.count) * 1000)} ms` : '—'}</td></tr>`;
        })}
      </tbody>
    </table>
  </section>`;
}

function queueSection(s: OverviewStatus): Html {
  let body: Html;
  if (!s.queue.ok) body = unavailable(s.queue);
  else if (s.queue.value === null) body = html`<p>${badge('none', 'No orders')} This deployment takes no orders.</p>`;
  else {
    const q = s.queue.value;
    body = html`<dl class="facts">
      <dt>Waiting for the ERP</dt><dd>${q.depth}</dd>
      <dt>Oldest waiting</dt><dd>${q.depth ? duration(q.oldestAgeSeconds) : '—'}</dd>
      <dt>Dead letters (refused by the ERP)</dt><dd>${q.deadLetters ? badge('bad', String(q.deadLetters)) : badge('ok', '0')}</dd>
      <dt>Held for a decision</dt><dd>${q.held ? badge('warn', String(q.held)) : badge('ok', '0')}</dd>
    </dl>
    <p><a href="/ops/orders">Dead letters and held orders</a></p>`;
  }
  return html`<section class="card" aria-labelledby="queue-h"><h2 id="queue-h">Order queue</h2>${body}</section>`;
}

function reconciliationSection(s: OverviewStatus, now: number): Html {
  let body: Html;
  if (!s.reconciliation.ok) body = unavailable(s.reconciliation);
  else {
    const { open, lastRun } = s.reconciliation.value;
    const total = FINDING_KINDS.reduce((n, kind) => n + open[kind], 0);
    body = html`<dl class="facts">
      <dt>Last run</dt><dd>${lastRun ? `${when(lastRun.finishedAt)} (${ago(lastRun.finishedAt, now)})` : 'never'}</dd>
      ${lastRun ? html`<dt>Orders checked</dt><dd>${lastRun.ordersChecked}</dd>` : ''}
      <dt>Open findings</dt><dd>${total ? badge('warn', String(total)) : badge('ok', '0')}</dd>
      ${FINDING_KINDS.filter((kind) => open[kind]).map((kind) => html`<dt>${kind.replace(/_/g, ' ').toLowerCase()}</dt><dd>${open[kind]}</dd>`)}
    </dl>
    <p><a href="/ops/reconciliation">Findings</a></p>`;
  }
  return html`<section class="card" aria-labelledby="recon-h"><h2 id="recon-h">Reconciliation</h2>${body}</section>`;
}

function changeFeedSection(feed: Reading<import('../sources.ts').ChangeFeedStatus> | null, now: number): Html {
  let body: Html;
  if (feed === null) body = notReported('The ERP change feed');
  else if (!feed.ok) body = unavailable(feed);
  else {
    const f = feed.value;
    body = html`<dl class="facts">
      <dt>Source</dt><dd>${f.source ?? 'none configured'}</dd>
      <dt>Last event</dt><dd>${f.lastEventAt ? `${when(f.lastEventAt)} (${ago(f.lastEventAt, now)})` : 'none yet'}</dd>
      <dt>Lag</dt><dd>${f.lagSeconds === null ? '—' : duration(f.lagSeconds)}</dd>
    </dl>`;
  }
  return html`<section class="card" aria-labelledby="feed-h"><h2 id="feed-h">ERP change feed</h2>${body}</section>`;
}

function priceSheetSection(sheet: Reading<import('../sources.ts').PriceSheetStatus> | null, now: number): Html {
  let body: Html;
  if (sheet === null) body = notReported('The price sheet');
  else if (!sheet.ok) body = unavailable(sheet);
  else {
    const p = sheet.value;
    body = html`<dl class="facts">
      <dt>Coverage</dt><dd>${percent(p.coverageRatio)}</dd>
      <dt>Customers</dt><dd>${p.customers}</dd>
      <dt>Items</dt><dd>${p.items}</dd>
      <dt>Oldest price held</dt><dd>${p.ageSeconds === null ? '—' : duration(p.ageSeconds)}</dd>
      <dt>Last run</dt><dd>${p.lastRunAt ? `${when(p.lastRunAt)} (${ago(p.lastRunAt, now)})` : 'never'}</dd>
    </dl>`;
  }
  return html`<section class="card" aria-labelledby="sheet-h"><h2 id="sheet-h">Price sheet</h2>${body}</section>`;
}

function cacheSection(s: OverviewStatus, now: number): Html {
  const readings = s.metrics.ok ? s.metrics.value.cache : {};
  return html`<section class="card wide" aria-labelledby="cache-h">
    <h2 id="cache-h">Cache (this instance, since start)</h2>
    <table>
      <thead><tr><th scope="col">Data</th><th scope="col" class="num">Served from cache</th><th scope="col" class="num">Lookups</th><th scope="col" class="num">Served stale</th><th scope="col" class="num">Fresh for</th><th scope="col">Last fetched from the ERP</th></tr></thead>
      <tbody>
        ${s.cacheDomains.map(({ domain, policy, lastFetchedAt }) => {
          const r = readings[domain] ?? { hit: 0, stale: 0, miss: 0, coalesced: 0 };
          const lookups = r.hit + r.stale + r.miss + r.coalesced;
          return html`<tr><th scope="row">${domain}</th><td class="num">${percent(hitRatio(r))}</td><td class="num">${lookups}</td><td class="num">${r.stale}</td><td class="num">${duration(policy.freshMs / 1000)}</td><td>${lastFetchedAt === null ? 'not yet' : ago(lastFetchedAt, now)}</td></tr>`;
        })}
      </tbody>
    </table>
  </section>`;
}

function errorsSection(s: OverviewStatus): Html {
  return html`<section class="card wide" aria-labelledby="errors-h">
    <h2 id="errors-h">Recent errors (this instance)</h2>
    ${
      s.errors.length === 0
        ? html`<p class="empty">No errors since this instance started.</p>`
        : html`<table>
          <thead><tr><th scope="col">When</th><th scope="col">Code</th><th scope="col" class="num">Times</th><th scope="col">What the caller was told</th><th scope="col">Where</th><th scope="col">Request id (search the log for it)</th></tr></thead>
          <tbody>
            ${s.errors.slice(0, 20).map((e) => html`<tr><td>${when(e.at)}</td><td class="nowrap"><code>${e.code}</code></td><td class="num">${e.count}</td><td>${e.message}</td><td class="nowrap"><code>${e.where}</code></td><td><code>${e.requestId ?? '—'}</code></td></tr>`)}
          </tbody>
        </table>`
    }
  </section>`;
}

export function overviewBody(s: OverviewStatus): Html {
  const now = Date.parse(s.readAt);
  return html`<div id="live" class="grid">
    ${erpSection(s, now)} ${budgetSection(s)} ${queueSection(s)} ${reconciliationSection(s, now)} ${changeFeedSection(s.changeFeed, now)}
    ${priceSheetSection(s.priceSheet, now)} ${cacheSection(s, now)} ${errorsSection(s)}
  </div>`;
}
