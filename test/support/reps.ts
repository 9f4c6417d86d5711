/**
 * Sales reps over HTTP: the rep home document the tests run (embedded and scale-out), and counting
 * what it cost the sandbox ERP.
 */
import type { SandboxStats } from './stack.ts';

/** A rep's home page: every part of each customer, so every kind of ERP data is read. */
export const REP_HOME = /* GraphQL */ `query RepHome($first: Int, $after: String) {
  repHome {
    salesRep { id name }
    customers(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
        id
        customer { id name }
        credit { limit { amount } balance { amount } available { amount currency } exposure { amount } onHold }
        creditState
        openOrders { count total { amount currency } inErpfront stale }
        awaitingApproval { count total { amount } }
        overdueInvoices { count amount { amount currency } oldestDueDate openCount openAmount { amount } stale }
      } }
    }
  }
}`;

/** ERP calls by operation between two sandbox stats snapshots (pings left out: the health check runs on its own). */
export function callsBetween(before: SandboxStats, after: SandboxStats): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [op, count] of Object.entries(after.byOperation)) {
    const made = count - (before.byOperation[op] ?? 0);
    if (op !== 'ping' && made > 0) delta[op] = made;
  }
  return delta;
}
