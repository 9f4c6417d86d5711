/**
 * `POST /__control/changes`: changes the sandbox's data as someone working in the ERP would (a
 * price, stock on hand, a credit limit), then announces it as a signed webhook when a target is
 * configured (`webhook-sender.ts`). `GET /__control/webhooks` shows the deliveries.
 *
 * Bodies, and the event each sends (erpfront's change contract):
 * - `{"type":"price","sku","priceListId":"PL-OEM","unitPrice":"9.50"}` → `price_list.changed`
 * - `{"type":"price","sku","customerId":"C0001","unitPrice"}` → `contract_price.changed`
 * - `{"type":"price","sku","priceListId":null,"unitPrice","currency":"USD"}` (a list price; USD
 *   unless told) → `item.changed` (ERPs keep the list price on the item)
 * - `{"type":"stock","sku","warehouse":"EAST","onHand":12}` → `stock.changed`
 * - `{"type":"creditLimit","customerId","limit":"5000.00"|null}` → `customer.changed`
 * - `{"type":"item","sku","salable":false}` (discontinued; `true` sells it again) → `item.changed`
 *
 * @module
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { PriceKey } from '../ports/erp-connector.ts';
import { describeIssue } from './faults.ts';
import type { LiveData } from './live-data.ts';
import { PRICE_LISTS } from './pricing.ts';
import type { ChangeEvent, WebhookSender } from './webhook-sender.ts';

const id = z.string().min(1).max(100);
const amount = z.string().regex(/^\d{1,9}(\.\d{1,4})?$/, { message: 'expected a decimal string such as "12.50"' });

const ChangeSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('price'),
    sku: id,
    priceListId: id.nullable().optional(),
    customerId: id.nullable().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { message: 'expected an ISO 4217 code such as "USD"' })
      .optional(),
    unitPrice: amount.refine((v) => Number(v) > 0, { message: 'expected a price above 0' }),
  }),
  z.strictObject({ type: z.literal('stock'), sku: id, warehouse: id, onHand: z.number().finite().nonnegative() }),
  z.strictObject({ type: z.literal('creditLimit'), customerId: id, limit: amount.nullable() }),
  z.strictObject({ type: z.literal('item'), sku: id, salable: z.boolean() }),
]);

type Change = z.infer<typeof ChangeSchema>;
type Applied = { ok: true; event: ChangeEvent; value: unknown } | { ok: false; status: 400 | 404; error: string };

export function changeRoutes(live: LiveData, webhooks: WebhookSender, now: () => Date): Hono {
  const routes = new Hono();

  routes.post('/changes', async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return c.json({ error: 'body: expected a JSON object such as {"type":"price","sku":"SKU-00001","priceListId":"PL-OEM","unitPrice":"9.50"}' }, 400);
    }
    const parsed = ChangeSchema.safeParse(body);
    if (!parsed.success) return c.json({ error: describeIssue(parsed.error) }, 400);
    // Refused before anything changes: a change the ERP could not announce would never reach erpfront.
    const room = webhooks.canSend();
    if (!room.ok) return c.json({ error: `Not applied: ${room.reason}` }, 503);
    const applied = apply(live, parsed.data, now());
    if (!applied.ok) return c.json({ error: applied.error }, applied.status);
    const webhookId = webhooks.send(applied.event);
    return c.json({ applied: applied.value, event: applied.event, webhookId });
  });

  routes.get('/webhooks', (c) => c.json(webhooks.status()));

  return routes;
}

function apply(live: LiveData, change: Change, today: Date): Applied {
  const { data } = live;
  switch (change.type) {
    case 'price': {
      if (!data.itemsBySku.has(change.sku)) return { ok: false, status: 404, error: `No item ${change.sku}` };
      if (change.priceListId && change.customerId)
        return { ok: false, status: 400, error: 'priceListId, customerId: give one of them (or neither, for a list price)' };
      if (change.priceListId) {
        const list = PRICE_LISTS.find((l) => l.id === change.priceListId);
        if (!list) return { ok: false, status: 404, error: `No price list ${change.priceListId} (${PRICE_LISTS.map((l) => l.id).join(', ')})` };
        const entry = live.setPrice({ scope: 'priceList', scopeId: list.id, sku: change.sku }, list.currency, change.unitPrice);
        return { ok: true, value: entry, event: { type: 'price_list.changed', data: { priceListId: list.id, skus: [change.sku] } } };
      }
      if (change.customerId) {
        const account = data.customersById.get(change.customerId);
        if (!account) return { ok: false, status: 404, error: `No customer ${change.customerId}` };
        const entry = live.setPrice({ scope: 'contract', scopeId: account.id, sku: change.sku }, account.currency, change.unitPrice);
        return { ok: true, value: entry, event: { type: 'contract_price.changed', data: { customerId: account.id, skus: [change.sku] } } };
      }
      const currency = change.currency ?? 'USD';
      const key: PriceKey = { scope: 'list', scopeId: currency, sku: change.sku };
      const entry = live.setPrice(key, currency, change.unitPrice);
      return { ok: true, value: entry, event: { type: 'item.changed', data: { skus: [change.sku] } } };
    }
    case 'stock': {
      if (!data.stockRecord(change.sku, today)) return { ok: false, status: 404, error: `No item ${change.sku}` };
      live.setOnHand(change.sku, change.warehouse, change.onHand);
      return { ok: true, value: data.stockRecord(change.sku, today), event: { type: 'stock.changed', data: { skus: [change.sku] } } };
    }
    case 'item': {
      if (!data.itemsBySku.has(change.sku)) return { ok: false, status: 404, error: `No item ${change.sku}` };
      live.setSalable(change.sku, change.salable);
      return { ok: true, value: data.itemsBySku.get(change.sku), event: { type: 'item.changed', data: { skus: [change.sku] } } };
    }
    case 'creditLimit': {
      if (!data.customersById.has(change.customerId)) return { ok: false, status: 404, error: `No customer ${change.customerId}` };
      live.setCreditLimit(change.customerId, change.limit);
      return {
        ok: true,
        value: data.customersById.get(change.customerId)!.credit,
        event: { type: 'customer.changed', data: { customerIds: [change.customerId] } },
      };
    }
  }
}
