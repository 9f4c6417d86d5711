/**
 * The features erpfront is composed from, in order: a feature's setup sees the services of those
 * before it (PunchOut uses the orders'), and `schema.graphql` is their schema parts in this order.
 * Adding a capability: its folder under `features/`, and one line here.
 *
 * @module
 */
import { catalogFeature } from './catalog/feature.ts';
import { changesFeature } from './changes/feature.ts';
import { checkoutFeature } from './checkout/feature.ts';
import { companyFeature } from './company/feature.ts';
import { consoleFeature } from './console/feature.ts';
import type { Feature } from './feature.ts';
import { invoicesFeature } from './invoices/feature.ts';
import { operationsFeature } from './operations/feature.ts';
import { outboxFeature } from './outbox/feature.ts';
import { ordersFeature } from './orders/feature.ts';
import { priceSheetFeature } from './price-sheet/feature.ts';
import { punchOutFeature } from './punchout/feature.ts';
import { quotesFeature } from './quotes/feature.ts';
import { reconciliationFeature } from './reconciliation/feature.ts';
import { repsFeature } from './reps/feature.ts';
import { registrationFeature } from './registration/feature.ts';
import { returnsFeature } from './returns/feature.ts';

export const features: readonly Feature[] = [
  catalogFeature,
  ordersFeature,
  companyFeature,
  repsFeature,
  priceSheetFeature,
  punchOutFeature,
  operationsFeature,
  changesFeature,
  reconciliationFeature,
  // After company: an approved registration makes its applicant the new company's admin.
  registrationFeature,
  // The ERP-write outbox, then the features that write through it (after orders and company: an
  // accepted quote is an order, with its approvals).
  outboxFeature,
  quotesFeature,
  returnsFeature,
  consoleFeature,
  // Uses the orders' pipeline and the company's approval gate, read per request.
  checkoutFeature,
  invoicesFeature,
];
