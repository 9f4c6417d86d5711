/**
 * Reads a cXML envelope leniently (PROTOCOL.md §2-4): any 1.2.x version or none, DOCTYPE host and
 * scheme variants (ignored, never fetched), RFC-2822-ish timestamps, padded values, credential
 * domains in any case, several credentials per party. What erpfront needs is checked instead of
 * DTD validity: the root, the header parties, one request.
 *
 * @module
 */
import type { Credential } from '../domain/buyer-organisation.ts';
import { excerpt } from '../../../domain/untrusted-text.ts';
import { child, children, firstElement, rawText, text, type XmlElement } from '../xml/safe-xml.ts';

/** A document erpfront cannot act on, with the cXML status to answer and a text saying why. */
export class CxmlReadError extends Error {
  override readonly name = 'CxmlReadError';
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface CxmlParty {
  credentials: Credential[];
}

export interface CxmlEnvelope {
  /** Opaque; `null` when absent (we then cannot de-duplicate, and say so). */
  payloadId: string | null;
  timestamp: string | null;
  from: Credential[];
  to: Credential[];
  sender: Credential[];
  /** The SharedSecret of the Sender credential that carries one; never logged. */
  sharedSecret: string | null;
  userAgent: string | null;
  kind: 'Request' | 'Message' | 'Response';
  deploymentMode: 'production' | 'test';
  /** The payload element (`PunchOutSetupRequest`, `OrderRequest`…); `null` for a Response. */
  payload: XmlElement | null;
}

function credentialsOf(party: XmlElement | undefined): Credential[] {
  return children(party, 'Credential').map((c) => ({ domain: (c.attributes.domain ?? '').trim(), identity: text(child(c, 'Identity')) ?? '' }));
}

/** Reads the envelope of a parsed cXML document. */
export function readEnvelope(root: XmlElement): CxmlEnvelope {
  if (root.name !== 'cXML') {
    const hint = root.name.toLowerCase() === 'cxml' ? ` (XML names are case-sensitive: write <cXML>, not <${root.name}>)` : '';
    throw new CxmlReadError(400, `The root element is <${excerpt(root.name, 60)}>; a cXML document starts with <cXML>${hint}.`);
  }
  const header = child(root, 'Header');
  const request = child(root, 'Request');
  const message = child(root, 'Message');
  const response = child(root, 'Response');
  const kind = request ? 'Request' : message ? 'Message' : response ? 'Response' : null;
  if (!kind) throw new CxmlReadError(400, 'The cXML document has neither a Request, a Message nor a Response.');
  if (kind !== 'Response' && !header) throw new CxmlReadError(400, `A cXML ${kind} needs a Header with From, To and Sender.`);
  const wrapper = request ?? message;
  const senderElement = child(header, 'Sender');
  const secret = children(senderElement, 'Credential')
    .map((c) => child(c, 'SharedSecret'))
    .find((s) => s !== undefined);
  const mode = (wrapper?.attributes.deploymentMode ?? 'production').trim().toLowerCase();
  if (mode !== 'production' && mode !== 'test') throw new CxmlReadError(400, `deploymentMode is "${excerpt(mode, 40)}"; expected production or test.`);
  return {
    payloadId: root.attributes.payloadID?.trim() || null,
    timestamp: root.attributes.timestamp?.trim() || null,
    from: credentialsOf(child(header, 'From')),
    to: credentialsOf(child(header, 'To')),
    sender: credentialsOf(senderElement),
    // A secret is compared exactly as sent, except for the padding of pretty-printed documents.
    sharedSecret: secret ? rawText(secret).trim() : null,
    userAgent: text(child(senderElement, 'UserAgent')),
    kind,
    deploymentMode: mode,
    payload: wrapper ? (firstElement(wrapper) ?? null) : null,
  };
}
