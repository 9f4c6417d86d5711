/**
 * Placing and reading orders over GraphQL, and reading the sandbox ERP's own order book.
 */
import type { Stack } from './stack.ts';

export const PLACE_ORDER = /* GraphQL */ `
mutation PlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    order { id status erpOrderNumber poNumber total { amount currency } lines { sku quantity unitPrice { amount } } rejection { reason message } }
    userErrors { code message field }
    creditDecision { decision reason }
  }
}`;

export const ORDER = /* GraphQL */ `query Order($id: ID!) { order(id: $id) { id status erpOrderNumber rejection { reason message } stale } }`;

export interface ErpOrderRecord {
  externalRef: string | null;
  number: string;
  customerId: string;
  status: string;
  lines: Array<{ sku: string; quantity: number }>;
}

/** Places an order through `stack` (any erpfront answering GraphQL: a Node process, the Worker). */
export async function placeOrder(stack: Pick<Stack, 'graphql'>, token: string, input: Record<string, unknown>, headers: Record<string, string> = {}) {
  const answer = await stack.graphql(PLACE_ORDER, { input }, { token, headers });
  if (answer.body.errors) throw new Error(`placeOrder failed: ${JSON.stringify(answer.body.errors)}`);
  return answer.body.data.placeOrder as {
    order: {
      id: string;
      status: string;
      erpOrderNumber: string | null;
      total: { amount: string; currency: string };
      rejection: { reason: string } | null;
    } | null;
    userErrors: Array<{ code: string; message: string; field: string[] | null }>;
    creditDecision: { decision: string; reason: string | null } | null;
  };
}

export async function orderStatus(stack: Stack, token: string, id: string) {
  const answer = await stack.graphql(ORDER, { id }, { token });
  return answer.body.data?.order as { id: string; status: string; erpOrderNumber: string | null; rejection: { reason: string } | null } | null;
}

/** Every order the sandbox ERP holds, in creation order. */
export async function erpOrders(stack: Stack): Promise<ErpOrderRecord[]> {
  const response = await fetch(`${stack.sandbox.url}/__control/orders`);
  return ((await response.json()) as { orders: ErpOrderRecord[] }).orders;
}

/** Polls until `check` passes or `timeoutMs` runs out; returns the last value. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, everyMs));
    value = await read();
  }
  return value;
}

/** The queue as operations see it. */
export async function queue(stack: Stack, statuses: string[] = ['QUEUED', 'ON_HOLD', 'REJECTED', 'SUBMITTED', 'CANCELLED']) {
  const answer = await stack.graphql(
    'query($s: [OrderStatus!]) { orderQueue(statuses: $s, first: 1000) { id status customerId rejection { reason } } }',
    { s: statuses },
    { token: await stack.opsToken() },
  );
  if (answer.body.errors) throw new Error(JSON.stringify(answer.body.errors));
  return answer.body.data.orderQueue as Array<{ id: string; status: string; customerId: string; rejection: { reason: string } | null }>;
}
