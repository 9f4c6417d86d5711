/**
 * The sandbox ERP connector: {@link ErpConnector} over the sandbox's REST API.
 *
 * Batch reads go out as key lists (split into the API's maximum batch sizes) and come back mapped
 * by key, so the answer's order never matters; a key the ERP reports missing fails alone with
 * `ERP_NOT_FOUND`. Every answer is validated (`wire.ts`, `order-wire.ts`) before it is returned.
 * Order calls are in `orders.ts`, account creation in `accounts.ts`.
 *
 * @module
 */
import {
  defineErpConnector,
  type CustomerAccount,
  type CustomerOpenInvoices,
  type ErpCallOptions,
  type ErpConnector,
  type Item,
  type ItemSearch,
  type ItemSearchPage,
  type OpenOrderSummary,
  type PriceEntry,
  type PriceKey,
  type SalesRep,
  type StockRecord,
} from '../../../ports/erp-connector.ts';
import type { z } from 'zod';
import { ErpError } from '../../../ports/erp-error.ts';
import { chunks } from '../shared/batches.ts';
import { createHttpClient, type HttpClient } from './http-client.ts';
import { OpenInvoicesBatchWire, OpenOrdersBatchWire } from './activity-wire.ts';
import { accountCalls } from './accounts.ts';
import { invoiceCalls } from './invoices.ts';
import { orderCalls } from './orders.ts';
import { quoteCalls } from './quotes.ts';
import { returnCalls } from './returns.ts';
import { checkoutCalls } from './checkout.ts';
import { CustomersBatchWire, HealthWire, ItemsBatchWire, ItemsPageWire, parseWire, PricesAnswerWire, SalesRepsBatchWire, StockBatchWire } from './wire.ts';

/** The sandbox API's limits per call. */
const MAX_IDS = 500;
const MAX_PRICE_KEYS = 1000;
const MAX_PAGE = 100;

export interface SandboxConnectorOptions {
  /** Where the sandbox ERP listens, e.g. `http://127.0.0.1:8788`. */
  baseUrl: string;
  /** Per HTTP request. @default 5000 */
  timeoutMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * The sandbox was started with SANDBOX_UNIQUE_EXTERNAL_REFS=true and refuses a second order with
   * one reference (ERP_UNIQUE_EXTERNAL_REFS). @default false
   */
  uniqueExternalRefs?: boolean;
}

/**
 * Creates the connector. Whole-call failures reject with an {@link ErpError}: `ERP_UNAVAILABLE`
 * (unreachable, 5xx), `ERP_TIMEOUT`, `ERP_RATE_LIMITED` (with `retryAfterMs`), `ERP_AUTH_FAILED`,
 * `ERP_BAD_RESPONSE`, and for orders `ERP_REJECTED` (with the ERP's `reason`). A call whose
 * `signal` the caller aborts rejects with the signal's reason, except a `TimeoutError` reason
 * (the caller's deadline), which gives `ERP_TIMEOUT`. Nothing is retried here: for an order
 * create, a transient failure is ambiguous (see {@link orderCalls}).
 */
export function createSandboxConnector(options: SandboxConnectorOptions): ErpConnector {
  const http = createHttpClient({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? 5000,
    // Bound so a Workers runtime does not see `fetch` called on another `this`.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  });

  const orders = orderCalls(http);

  return defineErpConnector({
    name: 'sandbox',
    health: {
      async ping(callOptions?: ErpCallOptions): Promise<void> {
        parseWire(HealthWire, await http.get('ping', '/api/v1/health', {}, callOptions), 'ping');
      },
    },

    catalog: {
      getItems: (skus, callOptions) =>
        batchRead(
          http,
          {
            operation: 'getItems',
            path: '/api/v1/items',
            param: 'ids',
            schema: ItemsBatchWire,
            keyOf: (item: Item) => item.sku,
            notFound: (sku) => `Item ${sku} does not exist in the ERP`,
          },
          skus,
          callOptions,
        ),

      async searchItems(search: ItemSearch, callOptions?: ErpCallOptions): Promise<ItemSearchPage> {
        if (!Number.isInteger(search.offset) || search.offset < 0 || !Number.isInteger(search.limit) || search.limit < 0) {
          throw new TypeError(`searchItems: offset and limit must be integers >= 0, got ${search.offset} and ${search.limit}`);
        }
        const items: Item[] = [];
        let total = 0;
        // The API pages by at most 100; a bigger page is several calls.
        do {
          const page = parseWire(
            ItemsPageWire,
            await http.get(
              'searchItems',
              '/api/v1/items',
              {
                q: search.text || undefined,
                category: search.category || undefined,
                offset: String(search.offset + items.length),
                limit: String(Math.max(1, Math.min(MAX_PAGE, search.limit - items.length))),
              },
              callOptions,
            ),
            'searchItems',
          );
          total = page.total;
          items.push(...page.value.slice(0, search.limit - items.length));
          if (page.value.length === 0) break;
        } while (items.length < search.limit && search.offset + items.length < total);
        return { items, total };
      },
    },

    customers: {
      getCustomers: (ids, callOptions) =>
        batchRead(
          http,
          {
            operation: 'getCustomers',
            path: '/api/v1/customers',
            param: 'ids',
            schema: CustomersBatchWire,
            keyOf: (customer: CustomerAccount) => customer.id,
            notFound: (id) => `Customer ${id} does not exist in the ERP`,
          },
          ids,
          callOptions,
        ),
    },

    salesReps: {
      getSalesReps: (ids, callOptions) =>
        batchRead(
          http,
          {
            operation: 'getSalesReps',
            path: '/api/v1/sales-reps',
            param: 'ids',
            schema: SalesRepsBatchWire,
            keyOf: (rep: SalesRep) => rep.id,
            notFound: (id) => `Sales rep ${id} does not exist in the ERP`,
          },
          ids,
          callOptions,
        ),
    },

    accounts: accountCalls(http),

    quotes: quoteCalls(http),

    returns: returnCalls(http),

    pricing: {
      async getPrices(keys: readonly PriceKey[], callOptions?: ErpCallOptions): Promise<Array<PriceEntry | null | Error>> {
        if (keys.length === 0) return [];
        const unique = [...new Map(keys.map((k) => [priceId(k), { scope: k.scope, scopeId: k.scopeId, sku: k.sku }])).values()];
        const found = new Map<string, PriceEntry>();
        for (const chunk of chunks(unique, MAX_PRICE_KEYS)) {
          const answer = parseWire(PricesAnswerWire, await http.post('getPrices', '/api/v1/prices/query', { keys: chunk }, callOptions), 'getPrices');
          for (const entry of answer.value) found.set(priceId(entry), entry);
        }
        // No entry is an answer too: no price in that scope, the next scope applies.
        return keys.map((k) => found.get(priceId(k)) ?? null);
      },
    },

    stock: {
      getStock: (skus, callOptions) =>
        batchRead(
          http,
          {
            operation: 'getStock',
            path: '/api/v1/stock',
            param: 'skus',
            schema: StockBatchWire,
            keyOf: (record: StockRecord) => record.sku,
            notFound: (sku) => `Item ${sku} does not exist in the ERP`,
          },
          skus,
          callOptions,
        ),
    },

    orders: {
      ...orders,
      // Like many ERPs, the sandbox enters the same reference twice as two orders: look it up first.
      resumesOrderEntry: false,
      refusesDuplicateExternalRef: options.uniqueExternalRefs ?? false,
    },
    orderCancellation: orders,
    checkout: checkoutCalls(http),
    accountActivity: {
      getOpenOrderSummaries: (customerIds, callOptions) =>
        batchRead(
          http,
          {
            operation: 'getOpenOrderSummaries',
            path: '/api/v1/open-orders',
            param: 'customerIds',
            schema: OpenOrdersBatchWire,
            keyOf: (summary: OpenOrderSummary) => summary.customerId,
            notFound: (id) => `Customer ${id} does not exist in the ERP`,
          },
          customerIds,
          callOptions,
        ),
      getOpenInvoices: (customerIds, callOptions) =>
        batchRead(
          http,
          {
            operation: 'getOpenInvoices',
            path: '/api/v1/open-invoices',
            param: 'customerIds',
            schema: OpenInvoicesBatchWire,
            keyOf: (entry: CustomerOpenInvoices) => entry.customerId,
            notFound: (id) => `Customer ${id} does not exist in the ERP`,
          },
          customerIds,
          callOptions,
        ),
    },
    invoices: invoiceCalls(http),
    // No feed to poll: the sandbox pushes its changes to erpfront as signed webhooks (POST /erp/events).
    lacks: { changes: 'the sandbox ERP pushes its changes as webhooks instead' },
  });
}

interface BatchRead<T> {
  operation: string;
  path: string;
  param: string;
  schema: z.ZodType<{ value: T[]; missing: string[] }>;
  keyOf: (value: T) => string;
  notFound: (key: string) => string;
}

/** One value or one error per key, in the keys' order, from as few calls as the API allows. */
async function batchRead<T>(http: HttpClient, read: BatchRead<T>, keys: readonly string[], options?: ErpCallOptions): Promise<Array<T | Error>> {
  const { operation } = read;
  // Only keys the list can carry as they are: a comma would split one, the sandbox trims each
  // (a padded key would come back as another), and a lone surrogate cannot be URL-encoded. No
  // sandbox key is any of these, so such a key is simply unknown.
  const askable = [...new Set(keys)].filter((k) => k !== '' && !k.includes(',') && k === k.trim() && k.isWellFormed());
  const asked = new Set(askable);
  const found = new Map<string, T>();
  const missing = new Set<string>();
  for (const chunk of chunks(askable, MAX_IDS)) {
    const answer = parseWire(read.schema, await http.get(operation, read.path, { [read.param]: chunk }, options), operation);
    for (const value of answer.value) found.set(read.keyOf(value), value);
    for (const key of answer.missing) missing.add(key);
  }
  return keys.map((key) => {
    const value = found.get(key);
    if (value !== undefined) return value;
    if (missing.has(key) || !asked.has(key)) return new ErpError('ERP_NOT_FOUND', read.notFound(key), { operation });
    return new ErpError('ERP_BAD_RESPONSE', `${operation}: the ERP answered neither a value nor "missing" for ${key}`, { operation });
  });
}

function priceId(key: PriceKey): string {
  return `${key.scope}\u0000${key.scopeId}\u0000${key.sku}`;
}
