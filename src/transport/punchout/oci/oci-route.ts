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
import { PunchOutRefusal, type PunchOutService } from '../../../services/punchout/punchout-service.ts';
import { clientAddress } from '../client-address.ts';
import { escapeText } from '../xml/xml-writer.ts';
import { readCallUp } from './oci-fields.ts';

export interface OciRouteOptions {
  service: PunchOutService;
  startUrl: (request: Request) => string;
}

/** A short page with the reason: OCI's call-up is a person's browser. */
export function ociPage(status: number, message: string): Response {
  return new Response(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>PunchOut</title></head><body><p>${escapeText(message)}</p></body></html>`, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
}

async function parameters(c: Context): Promise<Map<string, string>> {
  const params = new Map<string, string>(new URL(c.req.url).searchParams);
  if (c.req.method === 'POST') {
    const body = await c.req.parseBody();
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') params.set(k, v);
  }
  return params;
}

export function ociRoute(options: OciRouteOptions) {
  const { service } = options;
  return async function oci(c: Context): Promise<Response> {
    const callUp = readCallUp(await parameters(c));
    if ('problem' in callUp) return ociPage(400, callUp.problem);
    if (callUp.function) return ociPage(400, `OCI FUNCTION=${excerpt(callUp.function, 40)} is not supported; call up the catalog without FUNCTION to shop.`);
    const auth = await service.login.oci(callUp, clientAddress(c));
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
