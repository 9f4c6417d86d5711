/**
 * `POST /punchout/cxml`: one cXML Request in, one cXML Response out.
 *
 * HTTP status: 200 whenever a cXML Response is returned, the outcome in its Status code (buyers
 * read the cXML Status; PROTOCOL.md §8). Only a body that is not a cXML document at all — wrong
 * media type, too large, not well-formed XML, a forbidden DTD, another root element — gets an
 * HTTP 4xx (with a cXML Response carrying the same code, for buyers that read it anyway). Too
 * many failed logins is HTTP 429 with `Retry-After` (cXML 560), for HTTP-level retry logic too.
 *
 * @module
 */
import type { Context } from 'hono';
import type { BuyerOrganisation } from '../domain/buyer-organisation.ts';
import { excerpt, untrustedText } from '../../../domain/untrusted-text.ts';
import { LOGIN_REFUSED } from '../services/buyer-login.ts';
import { acceptOrderRequest } from '../services/order-intake.ts';
import { PunchOutRefusal, type PunchOutService } from '../services/punchout-service.ts';
import { clientAddress } from '../http/client-address.ts';
import { parseXmlSafely, XmlSafetyError } from '../xml/safe-xml.ts';
import { DEFAULT_CXML_VERSION, responseDocument } from './envelope.ts';
import { profileResponse, setupResponse } from './documents.ts';
import { CxmlReadError, readEnvelope, type CxmlEnvelope } from './read-envelope.ts';
import { readOrderRequest, readSetupRequest } from './read-requests.ts';

export interface CxmlRouteOptions {
  service: PunchOutService;
  /** Where storefronts receive the start token, e.g. `https://shop.example/punchout`. */
  startUrl: (request: Request) => string;
  /** This endpoint's public URL (for ProfileResponse). */
  cxmlUrl: (request: Request) => string;
  /** Reverse proxies in front of erpfront (TRUSTED_PROXY_HOPS); see `clientAddress`. @default 0 */
  trustedProxyHops?: number;
}

const XML_MEDIA = /^(text|application)\/xml\b/i;

function reply(body: string, httpStatus = 200): Response {
  return new Response(body, { status: httpStatus, headers: { 'content-type': 'text/xml; charset=UTF-8' } });
}

/** A cXML Response with only a Status. */
export function statusReply(code: number, detail: string, httpStatus = 200, version = DEFAULT_CXML_VERSION): Response {
  return reply(responseDocument(code, detail, { version, now: Date.now() }), httpStatus);
}

/**
 * Too many failed logins: cXML 560 (transient: buyers retry later), HTTP 429 with `Retry-After`.
 */
function throttledReply(throttled: { retryAfterSeconds: number; message: string }): Response {
  const response = statusReply(560, throttled.message, 429);
  response.headers.set('retry-after', String(throttled.retryAfterSeconds));
  return response;
}

/** The route handler (mounted behind a body-size limit). */
export function cxmlRoute(options: CxmlRouteOptions) {
  const { service } = options;
  return async function cxml(c: Context): Promise<Response> {
    if (!XML_MEDIA.test(c.req.header('content-type') ?? '')) {
      return statusReply(415, 'Send the cXML document with Content-Type: text/xml; charset="UTF-8" (or application/xml).', 415);
    }
    let envelope: CxmlEnvelope;
    try {
      envelope = readEnvelope(parseXmlSafely(await c.req.text()));
    } catch (error) {
      if (error instanceof XmlSafetyError) {
        if (error.code === 'XML_TOO_COMPLEX') return statusReply(413, error.message, 413);
        return statusReply(error.code === 'XML_FORBIDDEN_DTD' ? 400 : 406, error.message, 400);
      }
      if (error instanceof CxmlReadError) return statusReply(error.status, error.message, 400);
      throw error;
    }
    if (envelope.kind !== 'Request' || !envelope.payload) {
      return statusReply(
        400,
        `This endpoint takes cXML Requests; this document is a ${envelope.kind}. A PunchOutOrderMessage goes to the buyer's BrowserFormPost URL.`,
      );
    }
    const auth = await service.login.cxml(envelope, clientAddress(c, options.trustedProxyHops));
    if ('throttled' in auth) return throttledReply(auth.throttled);
    if ('refused' in auth) {
      // Who tried, never with what: the secret stays out of the log, and the client gets one
      // answer. Names and identities are the sender's own text: quoted, escaped, cut (a few
      // credentials, a few dozen characters each).
      const from = envelope.from.slice(0, 3).map((f) => `${untrustedText(f.domain, 40)}:${untrustedText(f.identity, 80)}`);
      if (envelope.from.length > 3) from.push(`(+${envelope.from.length - 3} more)`);
      console.warn(`erpfront: cXML ${untrustedText(envelope.payload.name, 60)} refused (${auth.refused}); From ${from.join(',') || '(none)'}`);
      return statusReply(401, LOGIN_REFUSED);
    }
    const buyer = auth.buyer;
    const version = buyer.cxml!.version;
    if (envelope.deploymentMode !== buyer.cxml!.deploymentMode) {
      return statusReply(
        400,
        `This document's deploymentMode is ${envelope.deploymentMode}, but buyer ${buyer.id} is set up for ${buyer.cxml!.deploymentMode} documents; use that account's credentials.`,
        200,
        version,
      );
    }
    try {
      return await handle(options, c.req.raw, buyer, envelope);
    } catch (error) {
      if (error instanceof CxmlReadError) return statusReply(error.status, error.message, 200, version);
      if (error instanceof PunchOutRefusal) return statusReply(error.code === 'OPERATION_NOT_SUPPORTED' ? 450 : 400, error.message, 200, version);
      console.error(`erpfront: cXML ${untrustedText(envelope.payload.name, 60)} of buyer ${buyer.id} failed`, error);
      return statusReply(500, 'erpfront could not complete the request; nothing was changed. Retry later.', 200, version);
    }
  };
}

async function handle(options: CxmlRouteOptions, request: Request, buyer: BuyerOrganisation, envelope: CxmlEnvelope): Promise<Response> {
  const { service } = options;
  const payload = envelope.payload!;
  const version = buyer.cxml!.version;
  const now = service.deps.clock.now();
  switch (payload.name) {
    case 'ProfileRequest':
      return reply(profileResponse(options.cxmlUrl(request), now));
    case 'PunchOutSetupRequest': {
      const setup = readSetupRequest(payload);
      const { startToken } = await service.open({
        buyer,
        protocol: 'cxml',
        operation: setup.operation,
        returnUrl: setup.browserFormPostUrl,
        buyerCookie: setup.buyerCookie,
        returnFields: [],
        returnTarget: '_top',
        deploymentMode: envelope.deploymentMode,
        user: setup.user,
        lines: setup.operation === 'create' ? [] : setup.itemsOut.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      });
      const start = new URL(options.startUrl(request));
      start.searchParams.set('token', startToken);
      if (setup.selectedSku) start.searchParams.set('sku', setup.selectedSku);
      return reply(setupResponse(start.toString(), version, now));
    }
    case 'OrderRequest': {
      if (!service.deps.orders) return statusReply(450, 'This deployment does not take orders.', 200, version);
      const order = readOrderRequest(payload);
      const answer = await acceptOrderRequest({ orders: service.deps.orders, store: service.deps.store, answerTtlMs: service.deps.answerTtlMs }, buyer, {
        ...order,
        payloadId: envelope.payloadId,
      });
      return statusReply(answer.code, answer.text, 200, version);
    }
    default:
      return statusReply(
        450,
        `erpfront does not take ${excerpt(payload.name, 60)} documents; it takes ProfileRequest, PunchOutSetupRequest and OrderRequest.`,
        200,
        version,
      );
  }
}
