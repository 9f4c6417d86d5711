/**
 * The address a PunchOut request came from, for throttling failed logins per address. On Node it
 * is the connection's peer (`@hono/node-server` passes the socket as `env.incoming`); on Workers,
 * Cloudflare's `CF-Connecting-IP` (set by Cloudflare, not the client). Forwarded-for headers are
 * not trusted by default: any client can send them. Behind reverse proxies the operator says how
 * many (TRUSTED_PROXY_HOPS): the address is then read that many entries from the right of
 * `X-Forwarded-For`, which the proxies append to and the client cannot forge past. Without it,
 * every request behind a proxy has the proxy's address, and the per-address limit applies to all
 * clients together.
 *
 * @module
 */
import type { Context } from 'hono';

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/** The request's source address, or `null` when the runtime does not say. */
export function clientAddress(c: Context, trustedProxyHops = 0): string | null {
  if (trustedProxyHops > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== '');
    // The last entries were appended by our own proxies; the one before them is the client as the
    // outermost proxy saw it. Fewer entries than proxies: a request that bypassed them.
    const client = hops.at(-trustedProxyHops);
    if (client !== undefined && client.length <= 64) return client;
  }
  const socket = (c.env as NodeBindings | undefined)?.incoming?.socket;
  if (socket) return socket.remoteAddress ?? null;
  return c.req.header('cf-connecting-ip') ?? null;
}
