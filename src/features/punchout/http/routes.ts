/**
 * The PunchOut HTTP surface, mounted at `/punchout`:
 *
 * - `POST /punchout/cxml` — cXML requests (ProfileRequest, PunchOutSetupRequest, OrderRequest);
 * - `GET|POST /punchout/oci` — the SAP OCI call-up;
 * - `GET /punchout/start?token=…` — the default start page (for a storefront that is not set up
 *   yet; it does not redeem the token, so a link scanner opening it cannot burn the session);
 * - `POST /punchout/session` — a storefront redeems a start token, once, for the session's
 *   bearer token (`{ "token": "…" }` → `{ accessToken, expiresAt, session }`).
 *
 * @module
 */
import { Hono } from 'hono';
import type { PunchOutSession } from '../domain/session.ts';
import type { PunchOutService } from '../services/punchout-service.ts';
import { bodyLimit, tooLargeMessage } from '../../../transport/http/body-limit.ts';
import { cxmlRoute, statusReply } from '../cxml/cxml-route.ts';
import { ociPage, ociRoute } from '../oci/oci-route.ts';
import { escapeText } from '../xml/xml-writer.ts';

export interface PunchOutRoutesOptions {
  service: PunchOutService;
  /** The storefront's PunchOut landing URL; default `<this origin>/punchout/start`. */
  startUrl?: string;
  /** erpfront's public base URL (behind a proxy); default the request's origin. */
  publicUrl?: string;
  /** Largest cXML or OCI request body, in bytes. */
  maxBodyBytes: number;
  /** Reverse proxies in front of erpfront, for the address failed logins are counted by. @default 0 */
  trustedProxyHops?: number;
}

/** The session as a storefront sees it (no return URL or cookie: those stay server-side). */
export function sessionView(session: PunchOutSession) {
  return {
    id: session.id,
    protocol: session.protocol.toUpperCase(),
    operation: session.operation.toUpperCase(),
    customerId: session.customerId,
    expiresAt: new Date(session.expiresAt).toISOString(),
    lines: session.lines,
  };
}

/** Largest `POST /punchout/session` body: `{"token": "…"}` is under a hundred bytes. */
export const SESSION_MAX_BODY_BYTES = 4096;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

export function punchOutRoutes(options: PunchOutRoutesOptions): Hono {
  const { service } = options;
  const origin = (request: Request) => options.publicUrl?.replace(/\/$/, '') ?? new URL(request.url).origin;
  const startUrl = (request: Request) => options.startUrl ?? `${origin(request)}/punchout/start`;
  const app = new Hono();
  // One limit, each protocol's own refusal: a cXML Status for systems, a page for OCI's browser user.
  const cxmlLimit = bodyLimit({ maxBytes: options.maxBodyBytes, refuse: (refusal) => statusReply(413, tooLargeMessage(refusal), 413) });
  const ociLimit = bodyLimit({ maxBytes: options.maxBodyBytes, refuse: (refusal) => ociPage(413, tooLargeMessage(refusal)) });
  const sessionLimit = bodyLimit({
    maxBytes: SESSION_MAX_BODY_BYTES,
    refuse: (refusal) => json({ error: { code: 'REQUEST_TOO_LARGE', message: `${tooLargeMessage(refusal)} Send {"token": "<the start token>"}.` } }, 413),
  });

  app.post('/cxml', cxmlLimit, cxmlRoute({ service, startUrl, cxmlUrl: (r) => `${origin(r)}/punchout/cxml`, trustedProxyHops: options.trustedProxyHops }));
  app.on(['GET', 'POST'], '/oci', ociLimit, ociRoute({ service, startUrl, trustedProxyHops: options.trustedProxyHops }));

  app.get('/start', (c) => {
    const token = c.req.query('token') ?? '';
    return c.html(
      `<!DOCTYPE html><html><head><meta charset="utf-8"><title>PunchOut session</title></head><body>
<p>A PunchOut session is waiting. A storefront redeems this token once with <code>POST /punchout/session</code>
<code>{"token": "${escapeText(token)}"}</code> and shops through <code>/graphql</code> with the access token it gets.</p></body></html>`,
      200,
      { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    );
  });

  app.post('/session', sessionLimit, async (c) => {
    const body = (await c.req.json().catch(() => null)) as { token?: unknown } | null;
    if (typeof body?.token !== 'string')
      return json({ error: { code: 'BAD_REQUEST', message: 'Send {"token": "<the start token from the start URL>"}.' } }, 400);
    const redeemed = await service.deps.sessions.redeem(body.token);
    if (!redeemed) {
      return json(
        {
          error: {
            code: 'PUNCHOUT_TOKEN_INVALID',
            message: 'This PunchOut start token is unknown, already used or expired; start again from your procurement system.',
          },
        },
        401,
      );
    }
    return json({
      accessToken: redeemed.accessToken,
      tokenType: 'Bearer',
      expiresAt: new Date(redeemed.session.expiresAt).toISOString(),
      session: sessionView(redeemed.session),
    });
  });
  return app;
}
