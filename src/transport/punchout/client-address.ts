/**
 * The address a PunchOut request came from, for throttling failed logins per address. On Node it
 * is the connection's peer (`@hono/node-server` passes the socket as `env.incoming`); on Workers,
 * Cloudflare's `CF-Connecting-IP` (set by Cloudflare, not the client). Forwarded-for headers are
 * not trusted: any client can send them. Behind a reverse proxy on Node every request has the
 * proxy's address, so the per-address limit then applies to all clients together.
 *
 * @module
 */
import type { Context } from 'hono';

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/** The request's source address, or `null` when the runtime does not say. */
export function clientAddress(c: Context): string | null {
  const socket = (c.env as NodeBindings | undefined)?.incoming?.socket;
  if (socket) return socket.remoteAddress ?? null;
  return c.req.header('cf-connecting-ip') ?? null;
}
