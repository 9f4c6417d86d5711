/**
 * Writes cXML envelopes strictly (PROTOCOL.md §2-3): a DOCTYPE naming the version and DTD file,
 * a fresh payloadID for every document, a timestamp with a time zone, `xml:lang`, and — for
 * the Response documents — exactly one Status first. Everything erpfront emits is valid against
 * the DTD it declares (tested with xmllint).
 *
 * @module
 */
import type { BuyerOrganisation, Credential } from '../domain/buyer-organisation.ts';
import { el, xmlDocument, type XmlNode, type XmlTag } from '../xml/xml-writer.ts';

/** The version erpfront declares when it does not know the buyer (widely accepted, PROTOCOL.md §2). */
export const DEFAULT_CXML_VERSION = '1.2.014';

export const USER_AGENT = 'erpfront';

/** The DTD files erpfront's documents declare. */
export type CxmlDtd = 'cXML.dtd' | 'Fulfill.dtd' | 'InvoiceDetail.dtd';

/** The DOCTYPE line naming `version` and the DTD file. */
export function doctype(version: string, dtd: CxmlDtd = 'cXML.dtd'): string {
  return `<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/${version}/${dtd}">`;
}

/** `YYYY-MM-DDThh:mm:ss+00:00`: ISO 8601 with the zone the DTD requires. */
export function cxmlTimestamp(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}+00:00`;
}

/** A payloadID of the recommended form `<time>.<random>@<host>`, unique for every document. */
export function newPayloadId(epochMs: number, host = 'erpfront'): string {
  const random = [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${epochMs}.${random}@${host}`;
}

/** The Status texts erpfront uses, after the cXML status code list (PROTOCOL.md §8). */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  450: 'Not Implemented',
  500: 'Internal Server Error',
  560: 'Temporary server error',
};

export interface EnvelopeOptions {
  version: string;
  now: number;
  dtd?: CxmlDtd;
}

function root(options: EnvelopeOptions, ...children: XmlNode[]): string {
  const tag = el(
    'cXML',
    { payloadID: newPayloadId(options.now), timestamp: cxmlTimestamp(options.now), version: options.version, 'xml:lang': 'en-US' },
    ...children,
  );
  return xmlDocument(tag, doctype(options.version, options.dtd));
}

/** A Response document: a Status (code, text, detail), then the payload if any. */
export function responseDocument(code: number, detail: string | null, options: EnvelopeOptions, payload?: XmlTag): string {
  return root(options, el('Response', {}, el('Status', { code, text: STATUS_TEXT[code] ?? 'Error', 'xml:lang': 'en-US' }, detail ?? undefined), payload));
}

function party(tag: 'From' | 'To', credentials: readonly Credential[]): XmlTag {
  return el(tag, {}, ...credentials.map((c) => el('Credential', { domain: c.domain }, el('Identity', {}, c.identity))));
}

/**
 * The Header of a document erpfront sends to `buyer`: From is erpfront as the buyer knows it
 * (the buyer's `To`), To is the buyer. The SharedSecret goes only into documents posted server to
 * server, never into one that travels through the user's browser (PROTOCOL.md §4).
 */
export function supplierHeader(buyer: BuyerOrganisation, withSecret: boolean): XmlTag {
  const cxml = buyer.cxml!;
  const us = cxml.to[0]!;
  return el(
    'Header',
    {},
    party('From', [us]),
    party('To', cxml.from),
    el(
      'Sender',
      {},
      el('Credential', { domain: us.domain }, el('Identity', {}, us.identity), withSecret && el('SharedSecret', {}, cxml.sharedSecret)),
      el('UserAgent', {}, USER_AGENT),
    ),
  );
}

/** A Message document (PunchOutOrderMessage) to `buyer`. */
export function messageDocument(buyer: BuyerOrganisation, deploymentMode: 'production' | 'test', payload: XmlTag, now: number): string {
  return root(
    { version: buyer.cxml!.version, now },
    supplierHeader(buyer, false),
    el('Message', { deploymentMode: deploymentMode === 'test' ? 'test' : undefined }, payload),
  );
}

/**
 * The version of InvoiceDetail.dtd erpfront's e-invoices declare: the DTD is versioned apart from
 * cXML.dtd, and 1.2.069 is the one the buyers' networks validate current invoices against.
 */
export const INVOICE_DETAIL_VERSION = '1.2.069';

/** A Request document (InvoiceDetailRequest) to `buyer`, in InvoiceDetail.dtd. */
export function invoiceRequestDocument(buyer: BuyerOrganisation, payload: XmlTag, now: number): string {
  const mode = buyer.cxml!.deploymentMode === 'test' ? 'test' : undefined;
  return root(
    { version: INVOICE_DETAIL_VERSION, now, dtd: 'InvoiceDetail.dtd' },
    supplierHeader(buyer, true),
    el('Request', { deploymentMode: mode }, payload),
  );
}

/** A Request document (ConfirmationRequest, ShipNoticeRequest) to `buyer`, in Fulfill.dtd. */
export function fulfillRequestDocument(buyer: BuyerOrganisation, payload: XmlTag, now: number): string {
  const mode = buyer.cxml!.deploymentMode === 'test' ? 'test' : undefined;
  return root({ version: buyer.cxml!.fulfillVersion, now, dtd: 'Fulfill.dtd' }, supplierHeader(buyer, true), el('Request', { deploymentMode: mode }, payload));
}
