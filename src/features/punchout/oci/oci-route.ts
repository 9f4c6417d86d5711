/**
 * `GET|POST /punchout/oci`: the SAP OCI call-up. The user's browser arrives with HOOK_URL and the
 * login parameters; erpfront authenticates the buyer, opens a session and redirects the browser
 * (303) to the storefront's start URL with a one-time token, as for cXML. Refusals are a short
 * page with the reason: a person is looking at it.
 *
 * @module
 */
import type { Context } from 'hono';
import { excerpt, untrustedText } from '../../../domain/untrusted-text.ts';
import { PunchOutRefusal, type PunchOutService } from '../services/punchout-service.ts';
import { clientAddress } from '../http/client-address.ts';
import { escapeText } from '../xml/xml-writer.ts';
import { readCallUp } from './oci-fields.ts';

export interface OciRouteOptions {
  service: PunchOutService;
  startUrl: (request: Request) => string;
  /** Reverse proxies in front of erpfront (TRUSTED_PROXY_HOPS); see `clientAddress`. @default 0 */
  trustedProxyHops?: number;
}

/** A short page with the reason: OCI's call-up is a person's browser. */
export function ociPage(status: number, message: string): Response {
  return new Response(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>PunchOut</title></head><body><p>${escapeText(message)}</p></body></html>`, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
}

/** The call-up's fields: the query string, then a form body; `null` when the body is not the form it claims. */
async function parameters(c: Context): Promise<Map<string, string> | null> {
  const params = new Map<string, string>(new URL(c.req.url).searchParams);
  if (c.req.method === 'POST') {
    let body: Record<string, unknown>;
    try {
      body = await c.req.parseBody();
    } catch {
      // A multipart/form-data header over a body that is not multipart: the client's mistake.
      return null;
    }
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') params.set(k, v);
  }
  return params;
}

export function ociRoute(options: OciRouteOptions) {
  const { service } = options;
  return async function oci(c: Context): Promise<Response> {
    const fields = await parameters(c);
    if (!fields)
      return ociPage(
        400,
        'The call-up body could not be read as the form its Content-Type declares; send application/x-www-form-urlencoded (or a well-formed multipart/form-data).',
      );
    const callUp = readCallUp(fields);
    if ('problem' in callUp) return ociPage(400, callUp.problem);
    if (callUp.function) return ociPage(400, `OCI FUNCTION=${excerpt(callUp.function, 40)} is not supported; call up the catalog without FUNCTION to shop.`);
    const auth = await service.login.oci(callUp, clientAddress(c, options.trustedProxyHops));
    if ('throttled' in auth) {
      const response = ociPage(429, auth.throttled.message);
      response.headers.set('retry-after', String(auth.throttled.retryAfterSeconds));
      return response;
    }
    if ('refused' in auth) {
      console.warn(`erpfront: OCI call-up refused (${auth.refused}) for user ${callUp.username === null ? '(token)' : untrustedText(callUp.username)}`);
      return ociPage(401, 'The catalog login (USERNAME/PASSWORD or TOKEN) is not valid; check the call-up parameters configured in your procurement system.');
    }
    const buyer = auth.buyer;
    try {
      const { startToken } = await service.open({
        buyer,
        protocol: 'oci',
        operation: 'create',
        returnUrl: callUp.hookUrl,
        buyerCookie: null,
        returnFields: callUp.returnFields,
        returnTarget: callUp.target,
        deploymentMode: 'production',
        user: callUp.username,
        lines: [],
      });
      const start = new URL(options.startUrl(c.req.raw));
      start.searchParams.set('token', startToken);
      return new Response(null, { status: 303, headers: { location: start.toString(), 'cache-control': 'no-store' } });
    } catch (error) {
      if (error instanceof PunchOutRefusal) return ociPage(400, error.message);
      throw error;
    }
  };
}
