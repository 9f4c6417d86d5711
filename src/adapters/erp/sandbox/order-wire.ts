/**
 * The sandbox ERP's order wire format, as zod schemas (the reads' are in `wire.ts`). An order the
 * ERP answers is checked field by field like any read: an order total sent as a JSON number or a
 * shipment without a date is `ERP_BAD_RESPONSE` naming the field, never an order half-believed.
 *
 * @module
 */
import { z } from 'zod';
import type { ErpOrder, ErpOrderTotals } from '../../../ports/erp-connector.ts';
import { currency, decimal, isoDate, key, quantity, text } from './wire.ts';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** An instant with its offset, answered in UTC (`toISOString()`), as the port promises. */
const instant = z
  .string({ error: 'expected a date-time (ISO 8601 with an offset)' })
  .regex(ISO_INSTANT, { error: 'expected a date-time (ISO 8601 with an offset)', abort: true })
  .refine((s) => !Number.isNaN(Date.parse(s)), { error: 'expected a real date-time' })
  .transform((s) => new Date(s).toISOString());

/** An order's amounts as the ERP computes them (`POST /checkout/totals`, and each order's `totals`). */
export const ErpOrderTotalsWire = z.object({
  subtotal: decimal,
  tax: decimal,
  shipping: decimal,
  total: decimal,
  currency,
  taxRate: decimal.optional(),
}) satisfies z.ZodType<ErpOrderTotals>;

const status = z.enum(['OPEN', 'ON_HOLD', 'PARTIALLY_SHIPPED', 'SHIPPED', 'INVOICED', 'CANCELLED']);

/** Why the ERP holds the order; the sandbox ERP sends none (it never holds an order), hence `null`. */
const holdReason = z
  .object({ code: key, message: text })
  .nullable()
  .optional()
  .transform((reason) => reason ?? null);

export const ErpOrderWire = z.object({
  number: key,
  externalRef: z.string().nullable(),
  customerId: key,
  status,
  poNumber: text.nullable(),
  createdAt: instant,
  currency,
  total: decimal,
  lines: z.array(
    z.object({
      sku: key,
      quantity,
      unitPrice: decimal,
      unitOfMeasure: key,
      shippedQuantity: quantity.nonnegative(),
    }),
  ),
  shipments: z.array(
    z.object({
      id: key,
      carrier: text,
      trackingNumber: text,
      shippedAt: instant,
      lines: z.array(z.object({ sku: key, quantity })),
    }),
  ),
  invoices: z.array(
    z.object({
      number: key,
      kind: z.enum(['INVOICE', 'CREDIT_MEMO']),
      issuedAt: isoDate,
      dueDate: isoDate,
      total: decimal,
      currency,
      paid: z.boolean(),
    }),
  ),
  holdReason,
  // Absent from an older sandbox: the order's totals are then not known (left absent).
  totals: ErpOrderTotalsWire.nullable().optional(),
}) satisfies z.ZodType<ErpOrder>;

/** `GET /orders?externalRef=`: every order with that reference. */
export const OrdersByRefWire = z.object({ value: z.array(ErpOrderWire) });
/** `GET /orders?customerId=`: one page, newest first, and how many there are. */
export const OrdersPageWire = z.object({ value: z.array(ErpOrderWire), total: z.number().int().nonnegative() });
