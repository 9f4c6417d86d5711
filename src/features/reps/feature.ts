/**
 * Sales reps: a rep's home (their assigned customers with credit, open orders, orders awaiting
 * approval and overdue invoices, one page batched to one ERP call per kind of data), and on
 * orders a rep places for a customer, the on-behalf mark and the order's history. The mark itself
 * is written by the order pipeline (`onBehalf` of the stored order); a company's approval of its
 * reps' orders is its `SALES_REP_ORDER` approval rule (company feature).
 *
 * Set up after orders and company accounts, whose services it reads; nothing of its own to set up.
 *
 * @module
 */
import type { Feature } from '../feature.ts';
import { OrderRepFields } from './order-fields.ts';
import { RepCustomer, RepHome, RepQueries } from './resolvers.ts';
import { repsTypeDefs } from './schema.ts';

export const repsFeature: Feature = {
  name: 'reps',
  typeDefs: repsTypeDefs,
  resolvers: { Query: RepQueries, RepHome, RepCustomer, Order: OrderRepFields },
  setup: () => ({}),
};
