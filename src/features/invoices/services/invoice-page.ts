/**
 * One page of a customer's invoices: the ERP's list filtered and sliced by erpfront. Pure.
 *
 * @module
 */
import { daysPastDue, isOverdue } from '../../../domain/invoices/aging.ts';
import type { ErpInvoice, IsoDate } from '../../../ports/erp-connector.ts';

export type InvoiceStatus = 'OPEN' | 'PAID' | 'OVERDUE';

export interface InvoiceFilter {
  status?: InvoiceStatus | null;
  kind?: ErpInvoice['kind'] | null;
  from?: IsoDate | null;
  to?: IsoDate | null;
}

/** An invoice as the schema shows it. */
export interface InvoiceView {
  number: string;
  kind: ErpInvoice['kind'];
  status: InvoiceStatus;
  issuedAt: IsoDate;
  dueDate: IsoDate;
  total: { amount: string; currency: string };
  paid: boolean;
  openAmount: { amount: string; currency: string };
  overdue: boolean;
  daysPastDue: number;
  orderId: string | null;
  erpOrderNumber: string | null;
  documentUrl: string | null;
}

/** The path an invoice's document downloads from. */
export function documentPath(number: string): string {
  return `/documents/invoices/${encodeURIComponent(number)}`;
}

export function invoiceView(invoice: ErpInvoice, today: IsoDate): InvoiceView {
  const overdue = isOverdue(invoice, today);
  return {
    number: invoice.number,
    kind: invoice.kind,
    status: invoice.state === 'PAID' ? 'PAID' : overdue ? 'OVERDUE' : 'OPEN',
    issuedAt: invoice.issuedAt,
    dueDate: invoice.dueDate,
    total: { amount: invoice.total, currency: invoice.currency },
    paid: invoice.state === 'PAID',
    openAmount: { amount: invoice.openAmount, currency: invoice.currency },
    overdue,
    daysPastDue: daysPastDue(invoice.dueDate, today),
    orderId: invoice.orderExternalRef ?? invoice.orderNumber,
    erpOrderNumber: invoice.orderNumber,
    documentUrl: invoice.hasDocument ? documentPath(invoice.number) : null,
  };
}

/** Whether a view passes the filter: OPEN matches every unpaid one, overdue included. */
export function matches(view: InvoiceView, filter: InvoiceFilter | null | undefined): boolean {
  if (!filter) return true;
  if (filter.status === 'PAID' && view.status !== 'PAID') return false;
  if (filter.status === 'OPEN' && view.status === 'PAID') return false;
  if (filter.status === 'OVERDUE' && view.status !== 'OVERDUE') return false;
  if (filter.kind && view.kind !== filter.kind) return false;
  if (filter.from && view.issuedAt < filter.from) return false;
  if (filter.to && view.issuedAt > filter.to) return false;
  return true;
}
