/**
 * Which customer a request acts for, and whether the principal may: the access policy decides
 * (`customer.actFor`); this reads what it needs for that — a sales rep's assigned customers, from
 * the ERP — and turns its answer into HTTP. Anything refused is refused before any customer data
 * is read.
 *
 * @module
 */
import { can, homeCustomer, type Actor, type RepCustomers } from '../../domain/access/policy.ts';
import type { Principal } from '../../domain/principal.ts';
import { ErpError } from '../../ports/erp-error.ts';
import { erpErrorClass } from '../../ports/erp/error-classes.ts';
import type { ErpReader } from '../../services/erp-reader.ts';

export type CustomerDecision = { customerId: string | null } | { status: number; code: string; message: string };

const CUSTOMER_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function authorizeCustomer(principal: Principal, requested: string | null, reader: ErpReader): Promise<CustomerDecision> {
  const wanted = requested?.trim() || null;
  if (wanted !== null && !CUSTOMER_ID.test(wanted)) {
    return { status: 400, code: 'BAD_REQUEST', message: `X-Customer-Id is not a customer id: ${JSON.stringify(wanted.slice(0, 80))}.` };
  }
  if (wanted === null) return { customerId: homeCustomer(principal) };
  let actor: Actor = { principal, customerId: null };
  let decision = can(actor, 'customer.actFor', { customerId: wanted });
  if (decision.verdict === 'needs-rep-customers') {
    const assigned = await repCustomers(reader, decision.repId, wanted);
    if ('status' in assigned) return assigned;
    actor = { ...actor, repCustomers: assigned.customerIds };
    decision = can(actor, 'customer.actFor', { customerId: wanted });
  }
  if (decision.verdict === 'allow') return { customerId: wanted };
  // Still undecided only if the policy wanted another fact than the rep's customers: refuse.
  const message = decision.verdict === 'deny' ? decision.message : `This token may not act for customer ${wanted}.`;
  return { status: 403, code: 'FORBIDDEN', message };
}

/** The rep's assigned customers as the ERP has them; 503 while the ERP cannot tell. */
async function repCustomers(
  reader: ErpReader,
  repId: string,
  wanted: string,
): Promise<{ customerIds: RepCustomers } | { status: number; code: string; message: string }> {
  try {
    return { customerIds: (await reader.salesRep(repId)).value.customerIds };
  } catch (error) {
    if (error instanceof ErpError && error.code === 'ERP_NOT_FOUND') return { customerIds: 'unknown-rep' };
    if (error instanceof ErpError && error.transient) {
      const { client } = erpErrorClass(error.code);
      return {
        status: client.status,
        code: client.code,
        message: "The ERP is not answering, so the rep's customer assignments cannot be checked. Retry shortly.",
      };
    }
    if (error instanceof ErpError && error.code === 'ERP_NOT_SUPPORTED') {
      // An ERP without sales reps (Tryton) has no assignment to check: a clear refusal, not a failure.
      const { client } = erpErrorClass(error.code);
      return {
        status: client.status,
        code: client.code,
        message: `The ERP erpfront is connected to assigns no customers to sales reps, so sales rep ${repId} cannot act for customer ${wanted}.`,
      };
    }
    throw error;
  }
}
