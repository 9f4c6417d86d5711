/**
 * Order ids and payload fingerprints.
 *
 * @module
 */
import type { OrderInput } from '../../domain/orders/order-input.ts';

/**
 * A new order id: `ord_` + time (base 36, so ids sort by creation) + 80 random bits. It is also
 * the ERP's external reference, so it must be unique across every instance.
 */
export function newOrderId(now: number): string {
  const random = crypto.getRandomValues(new Uint8Array(10));
  return `ord_${now.toString(36).padStart(9, '0')}${[...random].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Canonical JSON: object keys sorted, so the same payload always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== null).sort(([a], [b]) => (a < b ? -1 : 1));
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
