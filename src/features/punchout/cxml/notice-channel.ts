/**
 * Delivers ConfirmationRequest / ShipNoticeRequest / InvoiceDetailRequest documents to a buyer: an HTTP POST answered by
 * a cXML Response whose Status must be 2xx (the HTTP status alone says nothing about the cXML
 * outcome; PROTOCOL.md §8). The answer is read with the same safe parser as requests, and only
 * up to `MAX_ANSWER_BYTES`: a buyer's server that streams without end is cut off there, not read
 * into memory. What the buyer wrote reaches the error (and so the log) quoted and cut.
 *
 * @module
 */
import { untrustedText } from '../../../domain/untrusted-text.ts';
import type { NoticeChannel } from '../services/order-notifier.ts';
import { readAtMost } from '../../../transport/http/body-limit.ts';
import { child, parseXmlSafely, type XmlElement } from '../xml/safe-xml.ts';
import { confirmationRequest, invoiceDetailRequest, shipNoticeRequest } from './documents.ts';

/** The largest answer read from a buyer: a cXML Response with a Status is a few hundred bytes. */
export const MAX_ANSWER_BYTES = 1_000_000;

/** A channel posting with `fetchImpl`, giving up on one attempt after `timeoutMs`. */
export function cxmlNoticeChannel(fetchImpl: typeof fetch = fetch, timeoutMs = 10_000): NoticeChannel {
  return {
    confirmation: confirmationRequest,
    shipNotice: shipNoticeRequest,
    invoiceDetail: invoiceDetailRequest,
    async deliver(url, document) {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=UTF-8' },
        body: document,
        signal: AbortSignal.timeout(timeoutMs),
        // A redirect is never followed: the document carries the buyer's shared secret, which must
        // reach only the URL configured. 'manual', not 'error': workerd refuses 'error'.
        redirect: 'manual',
      });
      if (response.status >= 300 && response.status < 400) {
        void response.body?.cancel().catch(() => {});
        throw new Error(
          `HTTP ${response.status} from the buyer: a redirect, not followed (the document carries the shared secret); set the buyer's orderStatusUrl to where it points`,
        );
      }
      if (!response.ok) {
        // The answer's body is not needed: stop the transfer rather than read it.
        void response.body?.cancel().catch(() => {});
        throw new Error(`HTTP ${response.status} from the buyer`);
      }
      const bytes = response.body ? await readAtMost(response.body, MAX_ANSWER_BYTES) : new Uint8Array(0);
      if (bytes === null) throw new Error(`The buyer's answer is larger than ${MAX_ANSWER_BYTES} bytes; erpfront stopped reading it.`);
      let answer: XmlElement;
      try {
        answer = parseXmlSafely(new TextDecoder().decode(bytes));
      } catch (error) {
        // The parser's message quotes the buyer's bytes: they reach the log through this error.
        throw new Error(`The buyer's answer is not a cXML document: ${untrustedText((error as Error).message, 160)}`, { cause: error });
      }
      const status = child(child(answer, 'Response'), 'Status');
      const code = Number(status?.attributes.code);
      if (!(code >= 200 && code < 300)) {
        throw new Error(
          `cXML status ${untrustedText(status?.attributes.code ?? '(none)', 10)} ${untrustedText(status?.attributes.text ?? '', 80)} from the buyer`,
        );
      }
    },
  };
}
