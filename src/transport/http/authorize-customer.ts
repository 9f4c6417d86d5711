/**
 * Which customer a request acts for, and whether the principal may.
 *
 * A buyer acts for their own company only. A sales rep names one of their assigned customers in
 * `X-Customer-Id` (the assignment is read from the ERP). Anything else is refused before any
 * customer data is read.
 *
 * @module
 */
import type { Principal } from '../../domain/principal.ts';
import { ErpError } from '../../ports/erp-error.ts';
import type { ErpReader } from '../../services/erp-reader.ts';

export type CustomerDecision = { customerId: string | null } | { status: number; code: string; message: string };

const CUSTOMER_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function authorizeCustomer(principal: Principal, requested: string | null, reader: ErpReader): Promise<CustomerDecision> {
  const wanted = requested?.trim() || null;
  if (wanted !== null && !CUSTOMER_ID.test(wanted)) {
    return { status: 400, code: 'BAD_REQUEST', message: `X-Customer-Id is not a customer id: ${JSON.stringify(wanted.slice(0, 80))}.` };
  }
  // A PunchOut session acts for its buyer's customer exactly as a buyer does.
  if ((principal.roles.has('buyer') || principal.roles.has('punchout')) && principal.customerId !== null) {
    if (wanted === null || wanted === principal.customerId) return { customerId: principal.customerId };
    if (!principal.roles.has('rep')) {
      return { status: 403, code: 'FORBIDDEN', message: `A buyer of ${principal.customerId} may not act for customer ${wanted}.` };
    }
  }
  if (principal.roles.has('rep') && principal.repId !== null) {
    if (wanted === null) return { customerId: null };
    try {
      const rep = await reader.salesRep(principal.repId);
      if (rep.value.customerIds.includes(wanted)) return { customerId: wanted };
      return { status: 403, code: 'FORBIDDEN', message: `Customer ${wanted} is not assigned to sales rep ${principal.repId}.` };
    } catch (error) {
      if (error instanceof ErpError && error.code === 'ERP_NOT_FOUND') {
        return { status: 403, code: 'FORBIDDEN', message: `Sales rep ${principal.repId} does not exist in the ERP.` };
      }
      if (error instanceof ErpError && error.transient) {
        return {
          status: 503,
          code: 'ERP_UNAVAILABLE',
          message: "The ERP is not answering, so the rep's customer assignments cannot be checked. Retry shortly.",
        };
      }
      throw error;
    }
  }
  if (wanted !== null) return { status: 403, code: 'FORBIDDEN', message: `This token may not act for customer ${wanted}.` };
  return { customerId: principal.customerId };
}
