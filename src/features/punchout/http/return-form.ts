/**
 * The cart's way back: a PunchOutOrderMessage in one form field (cXML) or `NEW_ITEM-*` fields
 * (OCI), in an auto-submitting page posted to the URL the session was opened with.
 *
 * @module
 */
import type { BuyerOrganisation } from '../domain/buyer-organisation.ts';
import type { PunchOutSession } from '../domain/session.ts';
import type { PricedCart } from '../services/cart-pricing.ts';
import { orderMessage } from '../cxml/documents.ts';
import { renderReturnForm, type ReturnForm } from './html-form.ts';
import { cartFields } from '../oci/oci-fields.ts';

export interface BuiltReturn {
  form: ReturnForm;
  html: string;
  /** The PunchOutOrderMessage (cXML sessions only). */
  cxml: string | null;
}

function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Builds the return page for a priced cart. */
export function buildReturn(buyer: BuyerOrganisation, session: PunchOutSession, cart: PricedCart, now: number): BuiltReturn {
  if (session.protocol === 'oci') {
    const form: ReturnForm = { action: session.returnUrl, target: session.returnTarget, fields: cartFields(buyer, cart, session.returnFields) };
    return { form, html: renderReturnForm(form), cxml: null };
  }
  const cxml = orderMessage(buyer, session, cart, now);
  // urlencoded: the XML text itself; the page's attribute escaping is the "second" escaping
  // buyers expect. base64 carries the UTF-8 bytes untouched (PROTOCOL.md §6.3).
  const field: [string, string] = buyer.cxml?.formEncoding === 'cxml-base64' ? ['cxml-base64', base64Utf8(cxml)] : ['cxml-urlencoded', cxml];
  const form: ReturnForm = { action: session.returnUrl, target: session.returnTarget, fields: [field] };
  return { form, html: renderReturnForm(form), cxml };
}
