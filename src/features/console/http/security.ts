/**
 * What keeps the console's pages and actions to the operator who opened them: the session
 * cookie's attributes, the same-origin check on every POST, and the headers every page carries.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono';

/** The cookie's name; its path `/ops` keeps it off every other route (GraphQL never sees it). */
export const SESSION_COOKIE = 'erpfront_ops';

/** Whether the browser reached erpfront over https (directly, or through a TLS-terminating proxy). */
function overHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

/** `Set-Cookie` for a new session: HttpOnly, SameSite=Strict, Path=/ops, Secure over https, until it expires. */
export function sessionCookie(c: Context, id: string, expiresAt: number, now: number): string {
  const maxAge = Math.max(1, Math.floor((expiresAt - now) / 1000));
  return `${SESSION_COOKIE}=${id}; Path=/ops; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${overHttps(c) ? '; Secure' : ''}`;
}

/** `Set-Cookie` that removes it (logout, or a session the store no longer knows). */
export function clearedCookie(c: Context): string {
  return `${SESSION_COOKIE}=; Path=/ops; HttpOnly; SameSite=Strict; Max-Age=0${overHttps(c) ? '; Secure' : ''}`;
}

/** The session id the request's cookie carries, if any. */
export function sessionIdOf(c: Context): string | undefined {
  const header = c.req.header('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

/**
 * Whether a POST comes from a page of this site. Browsers send `Origin` on every POST (and
 * `Sec-Fetch-Site`); when present it must name this host. A client that sends neither is no
 * browser, and has no ambient cookie to abuse: the CSRF token still decides.
 */
export function sameOrigin(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  if (origin === 'null') return false;
  try {
    // A cross-site form cannot set headers: the forwarded host is the proxy's word, not an attacker's.
    const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim() || c.req.header('host') || new URL(c.req.url).host;
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Headers of every console answer: nothing from elsewhere runs or loads (no CDN: the console works
 * offline), no page of it can be framed, nothing is cached, no address is sent to another site.
 */
export function consoleHeaders(): MiddlewareHandler {
  return async function consoleHeaders(c, next) {
    await next();
    c.res.headers.set(
      'content-security-policy',
      "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    c.res.headers.set('x-frame-options', 'DENY');
    c.res.headers.set('x-content-type-options', 'nosniff');
    // Not `no-referrer`: under it browsers send `Origin: null` on the console's own POSTs, and
    // the same-origin check could not tell them from a sandboxed attacker's.
    c.res.headers.set('referrer-policy', 'same-origin');
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  };
}
