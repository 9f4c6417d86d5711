/**
 * SAP OCI 4.0/5.0: reading the call-up parameters, and writing the cart as `NEW_ITEM-*` fields
 * within the lengths of FIELDS.md §3 (numbers with `.`, no thousands separator; the full text in
 * `NEW_ITEM-LONGTEXT_n:132[]` when DESCRIPTION is cut to 40 characters).
 *
 * @module
 */
import type { BuyerOrganisation } from '../domain/buyer-organisation.ts';
import type { PricedCart } from '../services/cart-pricing.ts';

/** Maximum lengths of the fields erpfront sends (FIELDS.md §3). */
export const OCI_FIELD_LENGTHS: Readonly<Record<string, number>> = {
  DESCRIPTION: 40,
  QUANTITY: 15,
  UNIT: 3,
  PRICE: 15,
  CURRENCY: 5,
  PRICEUNIT: 5,
  LEADTIME: 5,
  VENDORMAT: 40,
  EXT_PRODUCT_ID: 40,
  EXT_SCHEMA_TYPE: 10,
  EXT_CATEGORY_ID: 60,
  MATGROUP: 10,
};

/** A cart line that cannot be written within OCI's limits. */
export class OciFieldError extends Error {
  override readonly name = 'OciFieldError';
  readonly code = 'OCI_FIELD_TOO_LONG';
}

export interface OciCallUp {
  hookUrl: string;
  username: string | null;
  password: string | null;
  token: string | null;
  /** Fields to post back as received: HOOK_URL's query, `~OkCode`, `~TARGET`, `~CALLER`. */
  returnFields: Array<[string, string]>;
  target: string;
  charset: string;
  ociVersion: string | null;
  function: string | null;
}

/** Reads call-up parameters (names of the `~` system fields in any case, as SAP systems vary). */
export function readCallUp(params: ReadonlyMap<string, string>): OciCallUp | { problem: string } {
  const get = (name: string) => {
    for (const [k, v] of params) if (k.toLowerCase() === name.toLowerCase()) return v.trim() || null;
    return null;
  };
  const hook = get('HOOK_URL');
  if (!hook) return { problem: 'The call-up has no HOOK_URL; erpfront would not know where to return the cart.' };
  let url: URL;
  try {
    url = new URL(hook);
  } catch {
    return { problem: `HOOK_URL is not a URL: ${JSON.stringify(hook.slice(0, 200))}.` };
  }
  // The query of HOOK_URL goes back as hidden fields, not in the form action (FIELDS.md §2).
  const returnFields: Array<[string, string]> = [...url.searchParams.entries()];
  url.search = '';
  for (const name of ['~OkCode', '~TARGET', '~CALLER']) {
    const value = get(name);
    if (value !== null && !returnFields.some(([k]) => k.toLowerCase() === name.toLowerCase())) returnFields.push([name, value]);
  }
  return {
    hookUrl: url.toString(),
    username: get('USERNAME'),
    password: get('PASSWORD'),
    token: get('TOKEN'),
    returnFields,
    target: get('returntarget') ?? get('~TARGET') ?? '_top',
    charset: get('http_content_charset') ?? 'utf-8',
    ociVersion: get('OCI_VERSION'),
    function: get('FUNCTION'),
  };
}

/** A decimal within OCI's 11 integer and 3 decimal digits, `.` as separator. */
function ociNumber(value: string | number, field: string, line: number): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (!/^\d{1,11}(\.\d{1,3})?$/.test(text)) throw new OciFieldError(`Line ${line}: ${field} ${text} does not fit OCI's 11 integer and 3 decimal digits.`);
  return text;
}

/** The first `max` characters, cut at a code point boundary (never half a surrogate pair). */
function cut(value: string, max: number): string {
  return [...value].slice(0, max).join('');
}

/**
 * Whether `name` is, or could be read as, one of the cart's own fields (`NEW_ITEM-PRICE[1]`,
 * `new_item-price[1]`, ` NEW_ITEM-LONGTEXT_1:132[]`, `NEW_ITEM_PRICE`...). Matched loosely, case
 * and surrounding space ignored: erpfront cannot know how each receiver matches names.
 */
function isCartFieldName(name: string): boolean {
  return name.trim().toUpperCase().startsWith('NEW_ITEM');
}

/**
 * The cart as `NEW_ITEM-*` fields, followed by the fields the call-up asked to have back.
 *
 * The call-up's fields (HOOK_URL's query above all) are the buyer's URL, which anyone who can
 * start a call-up chooses: `?NEW_ITEM-PRICE[1]=0.01` would add a second price field, and which
 * of two same-named fields a receiver takes differs between frameworks (PHP keeps the last, a
 * Java servlet's getParameter the first). So no field the cart is made of may come from there:
 * such names are dropped rather than reordered, since no order is safe for every receiver. The
 * other return fields (`sap-client`, `~OkCode`, ...) keep their order.
 */
export function cartFields(buyer: BuyerOrganisation, cart: PricedCart, returnFields: ReadonlyArray<[string, string]>): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  cart.lines.forEach((line, i) => {
    const n = i + 1;
    const put = (name: string, value: string) => {
      const max = OCI_FIELD_LENGTHS[name];
      if (max !== undefined && [...value].length > max) throw new OciFieldError(`Line ${n}: ${name} "${value}" is longer than OCI's ${max} characters.`);
      fields.push([`NEW_ITEM-${name}[${n}]`, value]);
    };
    put('DESCRIPTION', cut(line.name, OCI_FIELD_LENGTHS.DESCRIPTION!));
    put('QUANTITY', ociNumber(line.quantity, 'QUANTITY', n));
    put('UNIT', buyer.unitMap[line.unitOfMeasure] ?? line.unitOfMeasure);
    put('PRICE', ociNumber(line.unitPrice.amount, 'PRICE', n));
    put('CURRENCY', line.unitPrice.currency);
    put('PRICEUNIT', '1');
    if (line.leadTimeDays !== null) put('LEADTIME', ociNumber(line.leadTimeDays, 'LEADTIME', n));
    put('VENDORMAT', line.sku);
    put('EXT_PRODUCT_ID', line.sku);
    if (line.unspsc) {
      put('EXT_SCHEMA_TYPE', 'UNSPSC');
      put('EXT_CATEGORY_ID', line.unspsc);
    }
    // The long text keeps what DESCRIPTION had to cut; its line index is in the name (FIELDS.md §3).
    fields.push([`NEW_ITEM-LONGTEXT_${n}:132[]`, [line.name, line.description].filter(Boolean).join('\n')]);
  });
  return [...fields, ...returnFields.filter(([name]) => !isCartFieldName(name))];
}
