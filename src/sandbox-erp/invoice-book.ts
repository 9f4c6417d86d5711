/**
 * The sandbox ERP's invoice book: every invoice and credit memo a customer has, from three sources.
 *
 * - Seeded: a few invoices per customer drawn from the seed, dated back from the day the sandbox
 *   started, so there are open, paid and overdue ones in every aging bucket. C0001's are pinned
 *   (one per bucket, a paid one, a credit memo) so tests and demos can rely on them.
 * - Orders: the invoice an order gets when it is invoiced (`order-lifecycle.ts`), read from the
 *   order book as it stands.
 * - Entered: invoices and credit memos a test enters (`POST /__control/invoices`), and the credit
 *   memo a credited return is issued (`return-routes.ts`), booked against the return's order.
 *
 * Amounts are signed (a credit memo is negative), as the port promises.
 *
 * @module
 */
import Big from 'big.js';
import type { ErpInvoice, ErpOrder } from '../ports/erp-connector.ts';
import type { DataSet } from './data-set.ts';
import { isoDateAfter } from './data-set.ts';
import { centsToDecimal, rng } from './prng.ts';

/** An invoice or credit memo a test enters. */
export interface InvoiceEntry {
  customerId: string;
  kind: 'INVOICE' | 'CREDIT_MEMO';
  /** Unsigned; a credit memo is booked negative. */
  amount: string;
  issuedAt?: string;
  dueDate?: string;
  /** Already paid (an invoice) or applied (a credit memo). */
  paid?: boolean;
  /** The ERP number of the order it bills or credits. */
  orderNumber?: string;
}

export interface InvoiceBook {
  /** A customer's invoices and credit memos, newest first (by issue date, then number). */
  byCustomer(customerId: string): ErpInvoice[];
  byNumber(number: string): ErpInvoice | undefined;
  /** Whether the ERP has this customer (one with no invoices is not missing). */
  knowsCustomer(customerId: string): boolean;
  /** Enters one; `unknown-customer` or `unknown-order` when they do not exist. */
  enter(entry: InvoiceEntry): ErpInvoice | 'unknown-customer' | 'unknown-order';
  /** Books the credit memo a return was credited with (its own number; `total` unsigned), against the return's order. */
  bookCreditMemo(memo: { number: string; issuedAt: string; total: string; currency: string }, order: ErpOrder): ErpInvoice;
  /** Drops the entered ones (seeded and order invoices stay what they are). */
  reset(): void;
}

export interface InvoiceBookSources {
  data: DataSet;
  /** The day the seeded invoices are dated back from. */
  anchor: Date;
  /** A customer's orders as they stand now. */
  ordersOf(customerId: string): ErpOrder[];
  /** The order with this ERP number, if any. */
  orderByNumber(number: string): ErpOrder | undefined;
  /** The sandbox's clock: the issue date of an entry that names none. */
  now(): Date;
}

export function createInvoiceBook(sources: InvoiceBookSources): InvoiceBook {
  const { data, anchor } = sources;
  const seeded = new Map<string, ErpInvoice[]>();
  let entered: ErpInvoice[] = [];
  let nextEntry = 1;

  const seededOf = (customerId: string): ErpInvoice[] => {
    let list = seeded.get(customerId);
    if (!list) {
      list = seedInvoices(data, customerId, anchor);
      seeded.set(customerId, list);
    }
    return list;
  };

  const fromOrders = (customerId: string): ErpInvoice[] =>
    sources.ordersOf(customerId).flatMap((order) =>
      order.invoices.map((invoice) => ({
        number: invoice.number,
        kind: invoice.kind,
        customerId,
        issuedAt: invoice.issuedAt,
        dueDate: invoice.dueDate,
        total: invoice.total,
        openAmount: invoice.paid ? '0.00' : invoice.total,
        currency: invoice.currency,
        state: invoice.paid ? ('PAID' as const) : ('OPEN' as const),
        orderNumber: order.number,
        orderExternalRef: order.externalRef,
        hasDocument: true,
      })),
    );

  const all = (customerId: string): ErpInvoice[] => {
    if (!data.customersById.has(customerId)) return [];
    return [...seededOf(customerId), ...fromOrders(customerId), ...entered.filter((i) => i.customerId === customerId)].sort((a, b) =>
      a.issuedAt === b.issuedAt ? (a.number < b.number ? 1 : -1) : a.issuedAt < b.issuedAt ? 1 : -1,
    );
  };

  return {
    byCustomer: all,

    knowsCustomer: (customerId) => data.customersById.has(customerId),

    byNumber(number) {
      const owner = ownerOf(number, entered, sources);
      return owner === undefined ? undefined : all(owner).find((i) => i.number === number);
    },

    enter(entry) {
      const account = data.customersById.get(entry.customerId);
      if (!account) return 'unknown-customer';
      const order = entry.orderNumber === undefined ? undefined : sources.orderByNumber(entry.orderNumber);
      if (entry.orderNumber !== undefined && (!order || order.customerId !== entry.customerId)) return 'unknown-order';
      const issuedAt = entry.issuedAt ?? isoDateAfter(sources.now(), 0);
      const credit = entry.kind === 'CREDIT_MEMO';
      const total = credit ? new Big(entry.amount).neg().toFixed(2) : new Big(entry.amount).toFixed(2);
      const seq = nextEntry++;
      const invoice: ErpInvoice = {
        number: credit ? `CM-${700_000 + seq}` : `INV-${700_000 + seq}`,
        kind: entry.kind,
        customerId: entry.customerId,
        issuedAt,
        dueDate: entry.dueDate ?? (credit ? issuedAt : isoDateAfter(new Date(`${issuedAt}T00:00:00Z`), account.paymentTerms.netDays)),
        total,
        openAmount: entry.paid ? '0.00' : total,
        currency: order?.currency ?? account.currency,
        state: entry.paid ? 'PAID' : 'OPEN',
        orderNumber: order?.number ?? null,
        orderExternalRef: order?.externalRef ?? null,
        hasDocument: true,
      };
      entered.push(invoice);
      return invoice;
    },

    bookCreditMemo(memo, order) {
      const total = new Big(memo.total).abs().neg().toFixed(2);
      const invoice: ErpInvoice = {
        number: memo.number,
        kind: 'CREDIT_MEMO',
        customerId: order.customerId,
        issuedAt: memo.issuedAt,
        dueDate: memo.issuedAt,
        total,
        openAmount: total,
        currency: memo.currency,
        state: 'OPEN',
        orderNumber: order.number,
        orderExternalRef: order.externalRef,
        hasDocument: true,
      };
      entered.push(invoice);
      return invoice;
    },

    reset() {
      entered = [];
      nextEntry = 1;
    },
  };
}

/** The customer an invoice number belongs to, read off the number where the book can. */
function ownerOf(number: string, entered: readonly ErpInvoice[], sources: InvoiceBookSources): string | undefined {
  const own = entered.find((i) => i.number === number);
  if (own) return own.customerId;
  const seededOwner = /^INV-(C\d{4})-\d{2}$|^CM-(C\d{4})-\d{2}$/.exec(number);
  if (seededOwner) return seededOwner[1] ?? seededOwner[2];
  // An order's invoice reuses the order's digits: INV-100001 bills SO-100001.
  const ordered = /^INV-(\d{6})$/.exec(number);
  return ordered ? sources.orderByNumber(`SO-${ordered[1]}`)?.customerId : undefined;
}

/** C0001's invoices: [days issued before the anchor, net days, cents, paid cents]; one per aging bucket. */
const PINNED: ReadonlyArray<[issuedDaysAgo: number, netDays: number, cents: number, paidCents: number]> = [
  [5, 30, 125_000, 0], // current
  [45, 30, 84_050, 0], // 1-30 days past due
  [80, 30, 230_000, 30_000], // 31-60, part paid
  [105, 30, 41_275, 0], // 61-90
  [160, 30, 99_900, 0], // over 90
  [70, 30, 50_000, 50_000], // paid
];

function seedInvoices(data: DataSet, customerId: string, anchor: Date): ErpInvoice[] {
  const account = data.customersById.get(customerId);
  if (!account) return [];
  const make = (n: number, daysAgo: number, netDays: number, cents: number, paidCents: number): ErpInvoice => {
    const issued = new Date(anchor.getTime() - daysAgo * 86_400_000);
    const open = cents - paidCents;
    return {
      number: `INV-${customerId}-${String(n).padStart(2, '0')}`,
      kind: 'INVOICE',
      customerId,
      issuedAt: isoDateAfter(issued, 0),
      dueDate: isoDateAfter(issued, netDays),
      total: centsToDecimal(cents),
      openAmount: centsToDecimal(open),
      currency: account.currency,
      state: open === 0 ? 'PAID' : 'OPEN',
      orderNumber: null,
      orderExternalRef: null,
      hasDocument: true,
    };
  };
  if (customerId === 'C0001') {
    const invoices = PINNED.map(([daysAgo, net, cents, paid], i) => make(i + 1, daysAgo, net, cents, paid));
    const memoDate = isoDateAfter(new Date(anchor.getTime() - 20 * 86_400_000), 0);
    invoices.push({
      number: `CM-${customerId}-01`,
      kind: 'CREDIT_MEMO',
      customerId,
      issuedAt: memoDate,
      dueDate: memoDate,
      total: '-150.00',
      openAmount: '-150.00',
      currency: account.currency,
      state: 'OPEN',
      orderNumber: null,
      orderExternalRef: null,
      hasDocument: true,
    });
    return invoices;
  }
  const draw = rng(data.seed, 'invoices', customerId);
  const count = draw.int(0, 5);
  return Array.from({ length: count }, (_, i) => {
    const cents = draw.int(5_000, 500_000);
    const daysAgo = draw.int(1, 150);
    const paid = draw.chance(0.4) ? cents : 0;
    return make(i + 1, daysAgo, account.paymentTerms.netDays, cents, paid);
  });
}
