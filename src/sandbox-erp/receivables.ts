/**
 * The sandbox's accounts receivable: each customer's unpaid invoices, so that what the ERP says a
 * customer owes (`credit.balance`) is made of invoices with issue and due dates — some of them
 * overdue — and a rep's home can show overdue invoices on a fresh sandbox.
 *
 * The data set's balance is split into one to three invoices issued before the sandbox's today
 * (dates counted from today, as stock receipts are), due after the customer's payment terms. The
 * sandbox's own orders add theirs once invoiced on account (see `order-lifecycle.ts`): together
 * they make up the balance the API answers.
 *
 * @module
 */
import Big from 'big.js';
import type { CustomerAccount, OpenInvoice } from '../ports/erp-connector.ts';
import { isoDateAfter } from './data-set.ts';
import { centsToDecimal, rng } from './prng.ts';

/** The invoices behind the data set's balance of `account`, as of `today` (deterministic per seed and day). */
export function seededOpenInvoices(seed: number, account: CustomerAccount, today: Date): OpenInvoice[] {
  const cents = Number(new Big(account.credit.balance).times(100).round(0));
  if (cents <= 0) return [];
  const draw = rng(seed, 'open-invoices', account.id);
  const count = Math.min(draw.int(1, 3), cents);
  const netDays = account.paymentTerms.netDays;
  const invoices: OpenInvoice[] = [];
  let left = cents;
  for (let i = 1; i <= count; i++) {
    const part = i === count ? left : Math.max(1, Math.round((cents / count) * draw.float(0.6, 1.4)));
    const amount = Math.min(part, left - (count - i));
    left -= amount;
    // Issued up to 90 days ago: an invoice older than its terms is overdue.
    const issuedAgo = draw.int(1, 90);
    invoices.push({
      number: `INV-${account.id.slice(1)}-${String(i).padStart(2, '0')}`,
      kind: 'INVOICE',
      issuedAt: isoDateAfter(today, -issuedAgo),
      dueDate: isoDateAfter(today, netDays - issuedAgo),
      total: centsToDecimal(amount),
      currency: account.currency,
      paid: false,
      orderNumber: null,
    });
  }
  return invoices;
}
