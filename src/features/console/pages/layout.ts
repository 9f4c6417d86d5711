/**
 * The frame of every console page, and the small formatters the pages share. Pages are hono's
 * `html` templates: every interpolated value is escaped unless it is itself a template.
 *
 * @module
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** A rendered fragment (what `html\`\`` gives). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The pages in the navigation, by path. */
const NAV: ReadonlyArray<readonly [path: string, label: string]> = [
  ['/ops', 'Overview'],
  ['/ops/orders', 'Orders'],
  ['/ops/reconciliation', 'Reconciliation'],
  ['/ops/audit', 'Audit log'],
];

export interface PageFrame {
  title: string;
  /** The navigation entry this page belongs to. */
  section?: string;
  /** The signed-in operator and the session's CSRF token (for the logout form); none on the login page. */
  operator?: { subject: string; csrf: string };
  /** Seconds between refreshes of the live part (`#live`); none: the page does not refresh (forms, confirmations). */
  refreshSeconds?: number;
  /** When the figures were read, UTC ISO 8601. */
  readAt?: string;
  body: Html;
}

export function page(frame: PageFrame): Html {
  const nav = frame.operator
    ? html`<nav aria-label="Console pages">
        <ul>
          ${NAV.map(([path, label]) => html`<li><a href="${path}" ${frame.section === path ? html`aria-current="page"` : ''}>${label}</a></li>`)}
        </ul>
      </nav>
      <div class="who">
        <span>Signed in as <strong>${frame.operator.subject}</strong></span>
        <form method="post" action="/ops/logout">
          <input type="hidden" name="csrf" value="${frame.operator.csrf}" />
          <button type="submit">Log out</button>
        </form>
      </div>`
    : '';
  const refresh = frame.refreshSeconds
    ? html`<p class="refresh">
        <span>Updated <time id="updated-at">${frame.readAt ? when(frame.readAt) : ''}</time>.</span>
        <input type="checkbox" id="auto-refresh" checked />
        <label for="auto-refresh">Refresh every ${frame.refreshSeconds} seconds</label>
      </p>`
    : '';
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${frame.title} · erpfront ops</title>
    <link rel="stylesheet" href="/ops/assets/console.css" />
    <script src="/ops/assets/console.js" defer></script>
  </head>
  <body>
    <a class="skip" href="#main">Skip to content</a>
    <header class="bar">
      <span class="brand">erpfront ops</span>
      ${nav}
    </header>
    <main id="main" tabindex="-1" ${frame.refreshSeconds ? html`data-refresh="${frame.refreshSeconds}"` : ''}>
      <h1>${frame.title}</h1>
      ${refresh}
      ${frame.body}
    </main>
  </body>
</html>`;
}

/** A UTC time as people read it: `2026-11-29 21:50:12 UTC`. */
export function when(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A duration in words: `45 s`, `3 min 20 s`, `2 h 5 min`, `3 d 4 h`. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  return `${Math.floor(s / 86_400)} d${Math.floor((s % 86_400) / 3600) ? ` ${Math.floor((s % 86_400) / 3600)} h` : ''}`;
}

/** How long ago, from `now`: `3 min 20 s ago`. */
export function ago(at: string | number | null | undefined, now: number): string {
  if (at === null || at === undefined) return '—';
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return Number.isNaN(ms) ? '—' : `${duration((now - ms) / 1000)} ago`;
}

/** A ratio as a percentage, `—` when there is none. */
export function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined || !Number.isFinite(ratio) ? '—' : `${(ratio * 100).toFixed(1)} %`;
}

/** A state as a word in a coloured badge (the word carries the meaning; the colour helps). */
export function badge(tone: 'ok' | 'warn' | 'bad' | 'none', text: string): Html {
  return html`<span class="badge ${tone}">${text}</span>`;
}

/** A message in a box, announced to screen readers. */
export function notice(tone: 'ok' | 'warn' | 'bad', text: string): Html {
  return html`<p class="notice ${tone}" role="${tone === 'ok' ? 'status' : 'alert'}">${text}</p>`;
}

/** The path of an order's page. */
export const orderPath = (id: string) => `/ops/orders/${encodeURIComponent(id)}`;
