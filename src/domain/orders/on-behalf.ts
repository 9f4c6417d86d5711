/**
 * Orders a sales rep places for a customer: who they are placed on behalf of, as the order keeps it.
 *
 * @module
 */
import type { Principal } from '../principal.ts';

/** The mark of an order a sales rep placed on a customer's behalf (the customer is the order's own). */
export interface OnBehalf {
  /** The rep's id in the ERP (the token's `repId`); the order's `placedBy` is their subject. */
  repId: string;
}

/**
 * How `principal` places an order for `customerId`: on the customer's behalf when they do it as a
 * sales rep; `null` when they buy for their own company (a buyer of it, even one who is also a
 * rep) or are no rep at all.
 */
export function onBehalfOf(principal: Principal, customerId: string): OnBehalf | null {
  if (!principal.roles.has('rep') || principal.repId === null) return null;
  if (principal.roles.has('buyer') && principal.customerId === customerId) return null;
  return { repId: principal.repId };
}
