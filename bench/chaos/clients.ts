/**
 * The campaign's buyers: concurrent clients placing orders, each order with its own idempotency
 * key, each attempt on a random instance. Every transient answer (a refused connection because an
 * instance is dead, a 5xx, `IDEMPOTENCY_KEY_IN_USE`, `ERP_UNAVAILABLE`, `ORDER_STORE_UNAVAILABLE`)
 * is retried with the same key and the same payload, with backoff, until a definite answer: an
 * order (whatever its status) or a definite refusal. Every answer is recorded.
 *
 * @module
 */
import { rng } from '../../src/sandbox-erp/prng.ts';
import { PLACE_ORDER } from '../../test/support/orders.ts';
import type { Topology } from './topology.ts';

/** One order the campaign places. */
export interface OrderSpec {
  key: string;
  customerId: string;
  poNumber: string;
  lines: Array<{ sku: string; quantity: number }>;
}

/** One answer a client got. */
export interface Answer {
  /** Milliseconds since the order's first attempt. */
  at: number;
  instance: number;
  /** The order's status (`QUEUED`, `SUBMITTED`…), or what refused it (a code, `NETWORK`, `HTTP_502`). */
  code: string;
  orderId: string | null;
  transient: boolean;
}

export interface OrderRecord {
  spec: OrderSpec;
  answers: Answer[];
  /** The order id a definite answer named, if any. */
  orderId: string | null;
  /** The definite answer (a status or a refusal code); null when none came within the bound. */
  outcome: string | null;
  /** Milliseconds from the first attempt to the definite answer. */
  elapsedMs: number | null;
}

/**
 * User errors that clear by themselves: the key's first request is still running, or the ERP is
 * down and the order could not be priced (the campaign's SKUs all have prices). Every other user
 * error (`CREDIT_LIMIT_EXCEEDED`…) is a definite refusal.
 */
const TRANSIENT_USER_ERRORS = new Set(['IDEMPOTENCY_KEY_IN_USE', 'ERP_UNAVAILABLE', 'PRICE_NOT_AVAILABLE']);

/** GraphQL errors that say the request itself is wrong: sending it again would not help. */
const FINAL_ERRORS = new Set(['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN']);

export interface ClientOptions {
  seed: number;
  clients: number;
  /** Give up on an order after this long without a definite answer (reported, a violation). */
  giveUpMs: number;
  /** One attempt's own deadline. */
  requestTimeoutMs: number;
  /** Orders started per second at most (order i not before i / rate s), so faults land among them. */
  rate: number;
}

/** Places every order; resolves when each has a definite answer or was given up. */
export async function placeAll(topology: Topology, specs: OrderSpec[], options: ClientOptions): Promise<OrderRecord[]> {
  const tokens = new Map<string, Promise<string>>();
  const token = (customerId: string) => {
    let t = tokens.get(customerId);
    if (!t) tokens.set(customerId, (t = topology.buyerToken(customerId)));
    return t;
  };
  const records: OrderRecord[] = specs.map((spec) => ({ spec, answers: [], orderId: null, outcome: null, elapsedMs: null }));
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < records.length) {
      const index = next++;
      const record = records[index]!;
      const due = started + (index * 1000) / options.rate;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      await placeOne(topology, record, await token(record.spec.customerId), options);
    }
  };
  await Promise.all(Array.from({ length: options.clients }, worker));
  return records;
}

async function placeOne(topology: Topology, record: OrderRecord, token: string, options: ClientOptions): Promise<void> {
  const random = rng(options.seed, 'client', record.spec.key);
  const input = { idempotencyKey: record.spec.key, poNumber: record.spec.poNumber, lines: record.spec.lines };
  const body = JSON.stringify({ query: PLACE_ORDER, variables: { input } });
  const started = Date.now();
  for (let attempt = 0; Date.now() - started < options.giveUpMs; attempt++) {
    const instance = random.int(0, topology.instanceCount - 1);
    const answer = await send(topology.url(instance), token, body, options.requestTimeoutMs);
    record.answers.push({ at: Date.now() - started, instance, ...answer });
    if (!answer.transient) {
      record.outcome = answer.code;
      record.orderId = answer.orderId;
      record.elapsedMs = Date.now() - started;
      return;
    }
    // Exponential backoff with jitter, 100 ms doubling to 2 s.
    const ceiling = Math.min(2000, 100 * 2 ** Math.min(attempt, 5));
    await new Promise((r) => setTimeout(r, ceiling / 2 + random.next() * (ceiling / 2)));
  }
}

async function send(url: string, token: string, body: string, timeoutMs: number): Promise<Omit<Answer, 'at' | 'instance'>> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${token}` },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    // Refused (the instance is dead), reset mid-answer (killed while answering), or too slow.
    const name = error instanceof Error && error.name === 'TimeoutError' ? 'CLIENT_TIMEOUT' : 'NETWORK';
    return { code: name, orderId: null, transient: true };
  }
  let parsed: { data?: { placeOrder?: PlaceOrderAnswer | null } | null; errors?: Array<{ extensions?: { code?: string } }> };
  try {
    parsed = JSON.parse(text);
  } catch {
    return { code: `HTTP_${response.status}`, orderId: null, transient: true };
  }
  const result = parsed.data?.placeOrder;
  if (result?.order) return { code: result.order.status, orderId: result.order.id, transient: false };
  const userError = result?.userErrors[0]?.code;
  if (userError) return { code: userError, orderId: null, transient: TRANSIENT_USER_ERRORS.has(userError) };
  // A GraphQL error (ORDER_STORE_UNAVAILABLE, ERP_UNAVAILABLE, an internal error) or a bare 5xx:
  // nothing was acknowledged; the same key may be sent again.
  const code = parsed.errors?.[0]?.extensions?.code ?? `HTTP_${response.status}`;
  return { code, orderId: null, transient: !FINAL_ERRORS.has(code) };
}

interface PlaceOrderAnswer {
  order: { id: string; status: string } | null;
  userErrors: Array<{ code: string }>;
}
