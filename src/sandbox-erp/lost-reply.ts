/**
 * The reply of a committed write going missing, as when a load balancer or the network drops the
 * connection mid-answer (`dropResponseAfterCommit`): the client cannot tell whether the write
 * happened. Shared by the order and account routes.
 *
 * @module
 */
import type { Context } from 'hono';

/** The Node request behind a hono context, when @hono/node-server serves it (`c.env.incoming`). */
interface NodeBindings {
  incoming?: { socket?: { destroy(): void } | null };
}

/** Cuts the connection of a request whose write is committed; `what` names the write for other runtimes. */
export function loseReply(c: Context, what: string): Response {
  const socket = (c.env as NodeBindings | undefined)?.incoming?.socket;
  if (socket) {
    socket.destroy();
    return c.body(null, 504); // written to a closed socket: nobody receives it
  }
  // No socket to cut (app.request(), another runtime): answer as a gateway that gave up would.
  return c.json({ error: `Gateway timeout: the ERP did not answer in time (test fault: the ${what} was committed)` }, 504);
}
