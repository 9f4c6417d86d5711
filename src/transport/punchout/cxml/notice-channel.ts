/**
 * Delivers ConfirmationRequest / ShipNoticeRequest documents to a buyer: an HTTP POST answered by
 * a cXML Response whose Status must be 2xx (the HTTP status alone says nothing about the cXML
 * outcome; PROTOCOL.md §8). The answer is read with the same safe parser as requests.
 *
 * @module
 */
import type { NoticeChannel } from '../../../services/punchout/order-notifier.ts';
import { child, parseXmlSafely } from '../xml/safe-xml.ts';
import { confirmationRequest, shipNoticeRequest } from './documents.ts';

/** A channel posting with `fetchImpl`, giving up on one attempt after `timeoutMs`. */
export function cxmlNoticeChannel(fetchImpl: typeof fetch = fetch, timeoutMs = 10_000): NoticeChannel {
  return {
    confirmation: confirmationRequest,
    shipNotice: shipNoticeRequest,
    async deliver(url, document) {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=UTF-8' },
        body: document,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      const body = (await response.text()).slice(0, 1_000_000);
      if (!response.ok) throw new Error(`HTTP ${response.status} from the buyer`);
      const status = child(child(parseXmlSafely(body), 'Response'), 'Status');
      const code = Number(status?.attributes.code);
      if (!(code >= 200 && code < 300)) throw new Error(`cXML status ${status?.attributes.code ?? '(none)'} ${status?.attributes.text ?? ''} from the buyer`);
    },
  };
}
