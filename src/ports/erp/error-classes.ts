/**
 * The one table of what each `ErpError` code means to erpfront: the cache (serve stale?), the
 * circuit breaker (does it count?), the metrics (which outcome label?), the order dispatcher (was
 * the order refused, never sent, or maybe entered?) and the client (which code, which HTTP-ish
 * status, which sentence). Every one of them reads this table; none lists codes of its own.
 *
 * @module
 */
import type { ErpOutcome } from '../metrics.ts';

/** Every `ErpError` code. The table below must classify each (the compiler checks it). */
export const ERP_ERROR_CODES = [
  'ERP_UNAVAILABLE',
  'ERP_TIMEOUT',
  'ERP_RATE_LIMITED',
  'ERP_BAD_RESPONSE',
  'ERP_AUTH_FAILED',
  'ERP_NOT_FOUND',
  'ERP_REJECTED',
  'ERP_CIRCUIT_OPEN',
  'ERP_DUPLICATE_REF',
  'ERP_NOT_SENT',
  'ERP_NOT_SUPPORTED',
] as const;

export type ErpErrorCode = (typeof ERP_ERROR_CODES)[number];

/** What one code means, to every part of erpfront that decides on it. */
export interface ErpErrorClass {
  /** What happened, in a sentence (the code's documentation). */
  meaning: string;
  /**
   * The ERP is not answering right now (as opposed to "it answered no"): worth retrying, and a
   * cached value may stand in meanwhile.
   */
  transient: boolean;
  /**
   * What the circuit breaker makes of a call that failed so: a `failure` against the ERP, a
   * `success` (the ERP answered, if only "no"), or no verdict (`none`: the ERP was never asked).
   */
  breaker: 'failure' | 'success' | 'none';
  /** `erpfront_erp_requests_total{outcome}` of a call that reached the ERP and failed so. */
  outcome: ErpOutcome;
  /**
   * What a failed `createOrder` attempt means for the order: `rejected` (final, the ERP said no),
   * `unsent` (it never reached the ERP: send it again freely), or `in_doubt` (it may have been
   * entered: look it up before sending again). An error's own `unsent` flag (a refused
   * connection) makes any code `unsent`.
   */
  order: 'rejected' | 'unsent' | 'in_doubt';
  /** The order dispatcher holds off for the error's `retryAfterMs` (erpfront's breaker is open). */
  pausesOrders: boolean;
  /** What a client is told: the GraphQL `extensions.code`, the HTTP status it stands for, and a sentence. */
  client: { code: string; status: number; message: string };
}

const UNAVAILABLE = {
  code: 'ERP_UNAVAILABLE',
  status: 503,
  message: 'The ERP is not answering and erpfront has no earlier copy of this value to serve. Retry shortly.',
} as const;

/** The classification of every code. */
export const ERP_ERROR_CLASSES: { readonly [C in ErpErrorCode]: Readonly<ErpErrorClass> } = {
  ERP_UNAVAILABLE: {
    meaning: 'The ERP could not be reached or answered 5xx: worth retrying, and serving stale meanwhile.',
    transient: true,
    breaker: 'failure',
    outcome: 'unavailable',
    order: 'in_doubt',
    pausesOrders: false,
    client: UNAVAILABLE,
  },
  ERP_TIMEOUT: {
    meaning: "The ERP did not answer within the call's timeout (or the caller's deadline passed).",
    transient: true,
    breaker: 'failure',
    outcome: 'timeout',
    order: 'in_doubt',
    pausesOrders: false,
    client: UNAVAILABLE,
  },
  ERP_RATE_LIMITED: {
    meaning: 'The ERP (or its gateway) asked erpfront to slow down; `retryAfterMs` says for how long.',
    transient: true,
    breaker: 'failure',
    outcome: 'rate_limited',
    order: 'unsent',
    pausesOrders: false,
    client: UNAVAILABLE,
  },
  ERP_BAD_RESPONSE: {
    meaning: 'The ERP answered, but with data that does not fit what the connector expects.',
    transient: false,
    breaker: 'success',
    outcome: 'bad_response',
    order: 'in_doubt',
    pausesOrders: false,
    client: {
      code: 'ERP_BAD_RESPONSE',
      status: 502,
      message: 'The ERP answered with data erpfront cannot trust, so it is not served. It has been logged; quote the request id to support.',
    },
  },
  ERP_AUTH_FAILED: {
    meaning: "The ERP refused erpfront's credentials.",
    transient: false,
    breaker: 'success',
    outcome: 'error',
    order: 'in_doubt',
    pausesOrders: false,
    client: { code: 'ERP_AUTH_FAILED', status: 502, message: 'erpfront cannot sign in to the ERP; operations have to fix its access. Retry later.' },
  },
  ERP_NOT_FOUND: {
    meaning: 'The record asked for does not exist in the ERP.',
    transient: false,
    breaker: 'success',
    outcome: 'error',
    order: 'in_doubt',
    pausesOrders: false,
    client: { code: 'ERP_NOT_FOUND', status: 404, message: 'The ERP has no such record.' },
  },
  ERP_REJECTED: {
    meaning: 'The ERP refused a write for a business reason (`reason` says which): retrying will not help.',
    transient: false,
    breaker: 'success',
    outcome: 'rejected',
    order: 'rejected',
    pausesOrders: false,
    client: { code: 'ERP_REJECTED', status: 422, message: 'The ERP refused the request.' },
  },
  ERP_CIRCUIT_OPEN: {
    meaning: "erpfront's circuit breaker is open: the ERP failed repeatedly and is given time to recover. The ERP was not asked.",
    transient: true,
    breaker: 'none',
    outcome: 'circuit_open',
    order: 'unsent',
    pausesOrders: true,
    client: UNAVAILABLE,
  },
  ERP_DUPLICATE_REF: {
    meaning:
      'The ERP refused an order because it holds one with the same external reference already (only from connectors whose ERP has that check): the first one stands.',
    transient: false,
    breaker: 'success',
    outcome: 'rejected',
    order: 'in_doubt',
    pausesOrders: false,
    client: { code: 'ERP_DUPLICATE_REF', status: 409, message: 'The ERP could not handle this request. It has been logged; quote the request id to support.' },
  },
  ERP_NOT_SENT: {
    meaning: 'erpfront never sent the call: its send window (`sendBy`) closed while it waited for an ERP permit.',
    transient: true,
    breaker: 'none',
    outcome: 'error',
    order: 'unsent',
    pausesOrders: false,
    client: UNAVAILABLE,
  },
  ERP_NOT_SUPPORTED: {
    meaning: 'The connector has no such capability (Tryton assigns no customers to sales reps): the ERP was not asked, and asking again will not help.',
    transient: false,
    breaker: 'none',
    outcome: 'error',
    order: 'unsent',
    pausesOrders: false,
    client: { code: 'ERP_NOT_SUPPORTED', status: 501, message: 'The ERP erpfront is connected to does not offer this.' },
  },
};

/** The classification of `code`. */
export function erpErrorClass(code: ErpErrorCode): Readonly<ErpErrorClass> {
  return ERP_ERROR_CLASSES[code];
}
