/**
 * The webhook body of an ERP change, validated: `{"type": T, "data": {...}}` (see
 * `ports/erp/changes.ts` for the types). Thin by design: keys only, never values, so a
 * delivery can never put data into the cache, only take it out.
 *
 * @module
 */
import { z } from 'zod';
import { ERP_CHANGE_TYPES, type ErpChange } from '../../ports/erp/changes.ts';

/** The most keys one event may name: a larger change names its scope instead (a whole list). */
export const MAX_KEYS_PER_EVENT = 1000;

const id = z.string().min(1).max(200);
const ids = z.array(id).min(1).max(MAX_KEYS_PER_EVENT);

const Change = z.discriminatedUnion('type', [
  z.object({ type: z.literal('item.changed'), data: z.object({ skus: ids }) }),
  z.object({ type: z.literal('stock.changed'), data: z.object({ skus: ids }) }),
  z.object({ type: z.literal('price_list.changed'), data: z.object({ priceListId: id, skus: ids.optional() }) }),
  z.object({ type: z.literal('contract_price.changed'), data: z.object({ customerId: id, skus: ids.optional() }) }),
  z.object({ type: z.literal('customer.changed'), data: z.object({ customerIds: ids }) }),
  z.object({ type: z.literal('order.changed'), data: z.object({ externalRefs: ids }) }),
]);

export type ParsedChange = { ok: true; change: ErpChange } | { ok: false; message: string };

/**
 * The change in a webhook body, or what is wrong with it. Unknown fields are ignored (a sender
 * may add a `timestamp` or an envelope id, as Standard Webhooks payloads do); an unknown type
 * is refused, so a sender learns erpfront did not act on it.
 */
export function parseChange(body: unknown): ParsedChange {
  const type = (body as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !(ERP_CHANGE_TYPES as readonly string[]).includes(type)) {
    return { ok: false, message: `type: expected one of ${ERP_CHANGE_TYPES.join(', ')}, got ${JSON.stringify(type ?? null).slice(0, 60)}` };
  }
  const parsed = Change.safeParse(body);
  if (parsed.success) return { ok: true, change: parsed.data as ErpChange };
  const issue = parsed.error.issues[0]!;
  return { ok: false, message: `${issue.path.join('.') || 'body'}: ${issue.message}` };
}
