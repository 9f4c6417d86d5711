/**
 * Reconciliation over GraphQL as operations run it, and drift injected into the sandbox ERP.
 */
import type { ErpOrder } from '../../src/ports/erp-connector.ts';
import type { Stack } from './stack.ts';

export const RUN_RECONCILIATION = /* GraphQL */ `
mutation { runReconciliation { ran skipped startedAt finishedAt ordersChecked ordersUnchecked findingsOpened findingsResolved requeued } }`;

export const RECONCILIATION = /* GraphQL */ `
query Reconciliation($open: Boolean) {
  reconciliation {
    lastRunAt
    openCounts { kind count }
    findings(open: $open) { id kind orderId customerId erpOrderNumber detail differences { field sku erpfront erp } firstSeenAt lastSeenAt resolvedAt }
  }
}`;

export interface RunView {
  ran: boolean;
  skipped: string | null;
  startedAt: string;
  finishedAt: string | null;
  ordersChecked: number;
  ordersUnchecked: number;
  findingsOpened: number;
  findingsResolved: number;
  requeued: string[];
}

export interface FindingView {
  id: string;
  kind: string;
  orderId: string;
  customerId: string;
  erpOrderNumber: string | null;
  detail: string;
  differences: Array<{ field: string; sku: string | null; erpfront: string | null; erp: string | null }>;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
}

/** `runReconciliation` as operations (an ops token). */
export async function runReconciliation(stack: Pick<Stack, 'graphql' | 'opsToken'>): Promise<RunView> {
  const answer = await stack.graphql(RUN_RECONCILIATION, {}, { token: await stack.opsToken() });
  if (answer.body.errors) throw new Error(`runReconciliation failed: ${JSON.stringify(answer.body.errors)}`);
  return answer.body.data.runReconciliation as RunView;
}

/** `reconciliation` as operations: the last run's time, open counts by kind, and the findings. */
export async function reconciliation(stack: Pick<Stack, 'graphql' | 'opsToken'>, open?: boolean) {
  const answer = await stack.graphql(RECONCILIATION, open === undefined ? {} : { open }, { token: await stack.opsToken() });
  if (answer.body.errors) throw new Error(`reconciliation failed: ${JSON.stringify(answer.body.errors)}`);
  const { lastRunAt, openCounts, findings } = answer.body.data.reconciliation as {
    lastRunAt: string | null;
    openCounts: Array<{ kind: string; count: number }>;
    findings: FindingView[];
  };
  return { lastRunAt, open: Object.fromEntries(openCounts.map((c) => [c.kind, c.count])) as Record<string, number>, findings };
}

/** Deletes the ERP's orders with this reference behind erpfront's back (sandbox drift); the orders deleted. */
export async function deleteInErp(stack: Pick<Stack, 'sandbox'>, externalRef: string): Promise<ErpOrder[]> {
  const response = await fetch(`${stack.sandbox.url}/__control/orders/${encodeURIComponent(externalRef)}`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`DELETE ${externalRef}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { deleted: ErpOrder[] }).deleted;
}

/** Changes a line of the ERP's orders with this reference behind erpfront's back (sandbox drift). */
export async function changeLineInErp(
  stack: Pick<Stack, 'sandbox'>,
  externalRef: string,
  change: { sku: string; quantity?: number; unitPrice?: string },
): Promise<void> {
  const response = await fetch(`${stack.sandbox.url}/__control/orders/${encodeURIComponent(externalRef)}`, {
    method: 'PATCH',
    body: JSON.stringify(change),
    headers: { 'content-type': 'application/json' },
  });
  if (!response.ok) throw new Error(`PATCH ${externalRef}: ${response.status} ${await response.text()}`);
}
