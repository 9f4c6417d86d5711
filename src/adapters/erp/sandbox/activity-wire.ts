/**
 * The sandbox ERP's account-activity wire format (`/open-orders`, `/open-invoices`), checked like
 * every other answer: a total sent as a JSON number or an invoice without a due date is
 * `ERP_BAD_RESPONSE` naming the field.
 *
 * @module
 */
import { z } from 'zod';
import type { CustomerOpenInvoices, OpenOrderSummary } from '../../../ports/erp-connector.ts';
import { batchOf, currency, decimal, isoDate, key } from './wire.ts';

const OpenOrderSummaryWire = z.object({
  customerId: key,
  count: z.number().int().nonnegative(),
  total: decimal,
  currency,
}) satisfies z.ZodType<OpenOrderSummary>;

const OpenInvoicesWire = z.object({
  customerId: key,
  invoices: z.array(
    z.object({
      number: key,
      kind: z.enum(['INVOICE', 'CREDIT_MEMO']),
      issuedAt: isoDate,
      dueDate: isoDate,
      total: decimal,
      currency,
      paid: z.boolean(),
      orderNumber: key.nullable(),
    }),
  ),
}) satisfies z.ZodType<CustomerOpenInvoices>;

export const OpenOrdersBatchWire = batchOf(OpenOrderSummaryWire);
export const OpenInvoicesBatchWire = batchOf(OpenInvoicesWire);
