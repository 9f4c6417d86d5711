/**
 * The page that returns a cart to the procurement system: a form posted by the user's browser to
 * the buyer's URL (cXML BrowserFormPost, OCI HOOK_URL), submitted by script on load, with a
 * button for browsers without script. Every value is HTML-escaped, so a description such as
 * `19" Rack` or a cXML document full of `&lt;` arrives intact (PROTOCOL.md §6.3, FIELDS.md §5).
 *
 * @module
 */
import { escapeAttribute } from '../xml/xml-writer.ts';

export interface ReturnForm {
  /** The URL the browser posts to (already checked against the buyer's allowed hosts). */
  action: string;
  /** `_top` by default: the shop may run in a frame of the procurement system. */
  target: string;
  fields: Array<[string, string]>;
  /** Declared in the page; OCI buyers may ask for another (`http_content_charset`). */
  charset?: string;
}

/** Renders the auto-submitting page. */
export function renderReturnForm(form: ReturnForm): string {
  const inputs = form.fields.map(([name, value]) => `<input type="hidden" name="${escapeAttribute(name)}" value="${escapeAttribute(value)}">`).join('\n');
  return `<!DOCTYPE html>
<html><head><meta charset="${escapeAttribute(form.charset ?? 'utf-8')}"><title>Returning your cart</title></head>
<body>
<form id="punchout-return" method="post" action="${escapeAttribute(form.action)}" target="${escapeAttribute(form.target)}">
${inputs}
<noscript><button type="submit">Return the cart to your procurement system</button></noscript>
</form>
<script>document.getElementById('punchout-return').submit();</script>
</body></html>
`;
}
