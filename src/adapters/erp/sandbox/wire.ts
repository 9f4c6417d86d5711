/**
 * The sandbox ERP's wire format, as zod schemas. Nothing crosses into erpfront unchecked: an
 * answer that does not fit becomes an `ERP_BAD_RESPONSE` naming the field, never a crash further
 * in and never a wrong price (a price sent as a JSON number has already been through a binary
 * float, so it is refused, not rounded).
 *
 * @module
 */
import { z } from 'zod';
import type { PriceEntry } from '../../../ports/erp-connector.ts';
import { checkWire } from '../shared/wire-check.ts';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Money: a decimal string, never a JSON number. */
export const decimal = z.string({ error: 'expected a decimal string' }).regex(DECIMAL, { error: 'expected a decimal string' });

/** A real calendar date, `YYYY-MM-DD`. */
export const isoDate = z
  .string({ error: 'expected a date YYYY-MM-DD' })
  .regex(ISO_DATE, { error: 'expected a date YYYY-MM-DD' })
  .refine(
    (s) => {
      const date = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(s);
    },
    { error: 'expected a real calendar date' },
  );

/** A quantity; units of measure may be fractional. */
export const quantity = z.number({ error: 'expected a number' });
/** Free text, possibly empty. */
export const text = z.string();
/** An identifier: a non-empty string. */
export const key = z.string().min(1, { error: 'expected a non-empty key' });

export const ItemWire = z.object({
  sku: key,
  name: text,
  description: text,
  unitOfMeasure: key,
  category: text,
  salable: z.boolean(),
  restrictedToPriceLists: z.array(key).nullable(),
});

export const AddressWire = z.object({
  id: key,
  name: text,
  line1: text,
  line2: text.nullable(),
  city: text,
  region: text.nullable(),
  postalCode: text,
  country: z.string().regex(/^[A-Z]{2}$/, { error: 'expected an ISO 3166-1 alpha-2 country code' }),
  isDefault: z.boolean(),
});

/** An ISO 4217 currency code. */
export const currency = z.string().regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 currency code' });

export const CustomerWire = z.object({
  id: key,
  name: text,
  currency,
  priceListId: key.nullable(),
  hasContractPrices: z.boolean(),
  paymentTerms: z.object({ code: key, description: text, netDays: z.number().int().nonnegative() }),
  poRequired: z.boolean(),
  shipTos: z.array(AddressWire),
  credit: z.object({
    limit: decimal.nullable(),
    balance: decimal,
    openOrders: decimal,
    onHold: z.boolean(),
    holdReason: text.nullable(),
  }),
  primaryContact: text.nullable(),
});

export const SalesRepWire = z.object({ id: key, name: text, customerIds: z.array(key) });

const scope = z.enum(['contract', 'priceList', 'list']);

export const PriceEntryWire = z
  .object({
    sku: key,
    scope,
    scopeId: key,
    currency,
    breaks: z.array(z.object({ minQuantity: quantity.nonnegative(), unitPrice: decimal })).min(1, { error: 'expected at least one quantity break' }),
  })
  .superRefine((entry, ctx) => {
    const seen = new Set<number>();
    entry.breaks.forEach((b, i) => {
      if (seen.has(b.minQuantity)) {
        ctx.addIssue({ code: 'custom', path: ['breaks', i, 'minQuantity'], message: `two breaks from quantity ${b.minQuantity}` });
      }
      seen.add(b.minQuantity);
    });
  })
  // The port promises ascending breaks; some ERPs send them in entry order.
  .transform((entry): PriceEntry => ({ ...entry, breaks: [...entry.breaks].sort((a, b) => a.minQuantity - b.minQuantity) }));

export const StockRecordWire = z.object({
  sku: key,
  leadTimeDays: z.number().int().nonnegative().nullable(),
  warehouses: z.array(
    z.object({
      code: key,
      onHand: quantity,
      reserved: quantity,
      safetyStock: quantity.nonnegative(),
      incoming: z.array(z.object({ date: isoDate, quantity: quantity.positive() })),
    }),
  ),
});

/** A batch read: the values found (in any order) and the keys the ERP does not know. */
export function batchOf<T extends z.ZodType>(value: T) {
  return z.object({ value: z.array(value), missing: z.array(z.string()) });
}

export const ItemsBatchWire = batchOf(ItemWire);
export const ItemsPageWire = z.object({ value: z.array(ItemWire), total: z.number().int().nonnegative() });
export const CustomersBatchWire = batchOf(CustomerWire);
export const SalesRepsBatchWire = batchOf(SalesRepWire);
export const PricesAnswerWire = z.object({ value: z.array(PriceEntryWire) });
export const StockBatchWire = batchOf(StockRecordWire);
export const HealthWire = z.object({ status: z.literal('ok'), time: z.string() });

/**
 * Checks an answer against its schema.
 * @throws {ErpError} `ERP_BAD_RESPONSE`, e.g. `getPrices: value[3].breaks[0].unitPrice: expected a decimal string`
 */
export function parseWire<T extends z.ZodType>(schema: T, data: unknown, operation: string): z.output<T> {
  return checkWire(schema, data, { operation });
}
