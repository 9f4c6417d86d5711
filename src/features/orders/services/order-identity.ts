/**
 * Order ids, idempotency keys and payload fingerprints.
 *
 * @module
 */
import type { OrderInput } from '../../../domain/orders/order-input.ts';

/**
 * A new order id: `ord_` + time (base 36, so ids sort by creation) + 80 random bits. It is also
 * the ERP's external reference, so it must be unique across every instance.
 */
export function newOrderId(now: number): string {
  const random = crypto.getRandomValues(new Uint8Array(10));
  return `ord_${now.toString(36).padStart(9, '0')}${[...random].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Idempotency keys are scoped to the customer (`placeOrder`), and within it every source of
 * orders has a namespace of its own, so one source can never take or block another's key:
 *
 * - PunchOut: `cxml:<orderID>`, the buyer's purchase-order number (as PunchOut has always keyed
 *   them, so keys already stored keep working);
 * - buyers' own keys (`idempotencyKey`, the `Idempotency-Key` header): as sent, except that a key
 *   beginning with a namespace prefix of another source, or with the escape `~`, gets a `~` in
 *   front. Keys buyers really use are stored exactly as before (nothing to migrate), and none can
 *   equal a PunchOut key: those begin with `cxml:`, an escaped key with `~`.
 */
const SOURCE_PREFIXES = ['cxml:'] as const;
const ESCAPE = '~';

/** The key of a buyer's own request (trimmed; `null` when none), in the buyers' namespace. */
export function buyerIdempotencyKey(key: string | null | undefined): string | null {
  const trimmed = key?.trim() || null;
  if (trimmed === null) return null;
  return trimmed.startsWith(ESCAPE) || SOURCE_PREFIXES.some((p) => trimmed.startsWith(p)) ? `${ESCAPE}${trimmed}` : trimmed;
}

/**
 * The key of the order an accepted quote becomes: one order per quote. It begins with the escape
 * character, which no buyer's key keeps (theirs are escaped to `~~…`), so no buyer key can take
 * or block it; the stored order carries it, which marks its prices as agreed ({@link hasLockedPrices}).
 */
export function quoteIdempotencyKey(quoteId: string): string {
  return `${ESCAPE}quote:${quoteId}`;
}

/** Whether an order's prices were agreed beforehand (an accepted quote's): never re-priced. */
export function hasLockedPrices(order: { idempotencyKey: string | null }): boolean {
  return order.idempotencyKey?.startsWith(`${ESCAPE}quote:`) ?? false;
}

/** The key of a procurement system's purchase order `orderID`, in PunchOut's namespace. */
export function punchOutIdempotencyKey(buyerOrderId: string): string {
  return `cxml:${buyerOrderId}`;
}

/** Canonical JSON: object keys sorted, so the same payload always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of the order payload without its idempotency key: what "the same request" means. */
export async function payloadHash(input: OrderInput): Promise<string> {
  const { idempotencyKey: _, ...payload } = input;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical(payload)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
