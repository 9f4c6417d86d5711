/**
 * The sandbox connector's order calls: create, find by external reference, list a customer's.
 *
 * Nothing here retries. A create that failed ambiguously (timeout, connection lost, 5xx) may have
 * been entered by the ERP, and by default the sandbox, like many ERPs, does not deduplicate by
 * external reference: only the caller, which looks the order up first, may decide to send it
 * again. A sandbox started with SANDBOX_UNIQUE_EXTERNAL_REFS refuses a second entry (409), which
 * this answers with `ERP_DUPLICATE_REF`.
 *
 * @module
 */
import type { ErpCallOptions, ErpConnector, ErpOrder, ErpOrderRequest } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import type { HttpClient } from './http-client.ts';
import { ErpOrderWire, OrdersByRefWire, OrdersPageWire } from './order-wire.ts';
import { parseWire } from './wire.ts';

/** The sandbox API's largest page of orders. */
const MAX_PAGE = 100;

export type OrderCalls = Pick<ErpConnector, 'createOrder' | 'findOrderByExternalRef' | 'findOrdersByExternalRef' | 'listOrders'> &
  Required<Pick<ErpConnector, 'cancelOrder'>>;

/** The order calls over one HTTP client. */
export function orderCalls(http: HttpClient): OrderCalls {
  /** `GET /api/v1/orders?externalRef=`: every order with exactly this reference, oldest first. */
  async function byExternalRef(operation: string, externalRef: string, options?: ErpCallOptions): Promise<ErpOrder[]> {
    if (externalRef === '') throw new TypeError(`${operation}: expected a non-empty external reference`);
    const answer = parseWire(OrdersByRefWire, await http.get(operation, '/api/v1/orders', { externalRef }, options), operation);
    // Exact matches only, whatever the ERP's filter does with case or wildcards.
    const matches = answer.value.filter((o) => o.externalRef === externalRef);
    return matches.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
  }

  return {
    /**
     * `POST /api/v1/orders`, once. Resolves with the order as entered (201). Rejects with
     * `ERP_REJECTED` and the ERP's `reason` on a refusal (422: `CREDIT_HOLD`,
     * `CREDIT_LIMIT_EXCEEDED`, `ITEM_NOT_SOLD`, ...), which retrying will not change. Rejects
     * with a transient code (`ERP_TIMEOUT`, `ERP_UNAVAILABLE` for a lost connection or a 5xx,
     * `ERP_RATE_LIMITED`) when the outcome is unknown: the order may exist, so look it up with
     * {@link findOrderByExternalRef} before sending it again.
     */
    async createOrder(order: ErpOrderRequest, options?: ErpCallOptions): Promise<ErpOrder> {
      const created = parseWire(ErpOrderWire, await http.post('createOrder', '/api/v1/orders', order, options), 'createOrder');
      if (created.externalRef !== order.externalRef || created.customerId !== order.customerId) {
        throw new ErpError(
          'ERP_BAD_RESPONSE',
          `createOrder: the ERP answered order ${created.number} (${created.customerId}, ref ${String(created.externalRef)}) ` +
            `for ${order.customerId}'s order ${order.externalRef}`,
          { operation: 'createOrder' },
        );
      }
      return created;
    },

    /**
     * `GET /api/v1/orders?externalRef=`: the order with this reference, or `null`. Should the ERP
     * hold several (it was sent twice), the oldest is the answer; the others are the caller's bug.
     */
    async findOrderByExternalRef(externalRef: string, options?: ErpCallOptions): Promise<ErpOrder | null> {
      return (await byExternalRef('findOrderByExternalRef', externalRef, options))[0] ?? null;
    },

    findOrdersByExternalRef: (externalRef, options) => byExternalRef('findOrdersByExternalRef', externalRef, options),

    /** `POST /api/v1/orders/{number}/cancel`: 422 (`ERP_REJECTED`, `ALREADY_SHIPPED`) once anything shipped. */
    async cancelOrder(number: string, options?: ErpCallOptions): Promise<ErpOrder> {
      return parseWire(ErpOrderWire, await http.post('cancelOrder', `/api/v1/orders/${encodeURIComponent(number)}/cancel`, {}, options), 'cancelOrder');
    },

    /** `GET /api/v1/orders?customerId=`, newest first; a page above 100 is several calls. */
    async listOrders(customerId: string, page: { offset: number; limit: number }, options?: ErpCallOptions) {
      const { offset, limit } = page;
      if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 0) {
        throw new TypeError(`listOrders: offset and limit must be integers >= 0, got ${offset} and ${limit}`);
      }
      const orders: ErpOrder[] = [];
      let total = 0;
      do {
        const answer = parseWire(
          OrdersPageWire,
          await http.get(
            'listOrders',
            '/api/v1/orders',
            {
              customerId,
              offset: String(offset + orders.length),
              limit: String(Math.max(1, Math.min(MAX_PAGE, limit - orders.length))),
            },
            options,
          ),
          'listOrders',
        );
        total = answer.total;
        const stranger = answer.value.find((o) => o.customerId !== customerId);
        if (stranger) {
          throw new ErpError('ERP_BAD_RESPONSE', `listOrders: the ERP answered order ${stranger.number} of ${stranger.customerId} for ${customerId}`, {
            operation: 'listOrders',
          });
        }
        orders.push(...answer.value.slice(0, limit - orders.length));
        if (answer.value.length === 0) break;
      } while (orders.length < limit && offset + orders.length < total);
      return { orders, total };
    },
  };
}
