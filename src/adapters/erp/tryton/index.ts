/**
 * The Tryton connector: {@link ErpConnector} over Tryton 6.0's JSON-RPC.
 *
 * Customers are parties (by code), SKUs are products (by code), a customer's price list is the
 * party's sale price list, warehouses are `stock.location`s of type warehouse (by code), and an
 * order is a sale whose `reference` is erpfront's order id. Each concern has its file:
 * `json-rpc.ts` (session, encoding, errors), `catalog.ts`, `customers.ts`, `pricing.ts`,
 * `stock.ts`, `orders.ts`, `sale-read.ts`, `accounts.ts` (new customers), `quotes.ts` and
 * `returns.ts` (sales marked by their reference, `document-entry.ts`). The README's "Run against Tryton" has the mapping.
 *
 * @module
 */
import { trytonCheckout } from './checkout.ts';
import { defineErpConnector, type ErpCallOptions, type ErpConnector } from '../../../ports/erp-connector.ts';
import { trytonAccounts } from './accounts.ts';
import { getItems, searchItems } from './catalog.ts';
import { trytonChangeFeed } from './changes.ts';
import { getCustomers } from './customers.ts';
import { trytonInvoices } from './invoices.ts';
import { createTrytonRpc, type TrytonRpc } from './json-rpc.ts';
import { orderCalls } from './orders.ts';
import { getPrices } from './pricing.ts';
import { trytonQuotes } from './quotes.ts';
import { trytonReturns } from './returns.ts';
import { getStock } from './stock.ts';

export interface TrytonConnectorOptions {
  /** The database URL, e.g. `http://127.0.0.1:8000/demo/`. */
  url: string;
  username: string;
  password: string;
  /** Per JSON-RPC call (a connector method may make several). @default 5000 */
  timeoutMs?: number;
  /** Code of the warehouse sales ship from when the party does not decide it. @default the first warehouse */
  warehouse?: string;
  /**
   * Days a quotation holds from its sale date: Tryton 6.0 has no validity field (`quotes.ts`).
   * @default 30
   */
  quoteValidityDays?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * Creates the connector; it logs in at its first call, and again whenever Tryton drops the
 * session. Whole-call failures reject with an {@link ErpError} (see `json-rpc.ts` and
 * `faults.ts`); nothing is retried here except a call Tryton refused for an expired session.
 */
export function createTrytonConnector(options: TrytonConnectorOptions): ErpConnector & { readonly rpc: TrytonRpc } {
  const rpc = createTrytonRpc({
    url: options.url,
    username: options.username,
    password: options.password,
    timeoutMs: options.timeoutMs ?? 5000,
    // Bound so a Workers runtime does not see `fetch` called on another `this`.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  });
  const connector = defineErpConnector({
    name: 'tryton',
    health: {
      async ping(callOptions?: ErpCallOptions): Promise<void> {
        // A model call, not `common.server.version`: it proves the database and the session work.
        await rpc.model('ping', 'res.user', 'get_preferences', [true], {}, callOptions);
      },
    },
    catalog: {
      getItems: (skus, callOptions) => getItems(rpc, skus, callOptions),
      searchItems: (search, callOptions) => searchItems(rpc, search, callOptions),
    },
    customers: { getCustomers: (ids, callOptions) => getCustomers(rpc, ids, callOptions) },
    // Posted customer invoices and credit notes; their report is not passed on (yet).
    invoices: trytonInvoices(rpc),
    // New customers: a party with its addresses, found again by the registration's reference.
    accounts: trytonAccounts(rpc),
    pricing: { getPrices: (keys, callOptions) => getPrices(rpc, keys, callOptions) },
    stock: { getStock: (skus, callOptions) => getStock(rpc, skus, callOptions) },
    orders: {
      ...orderCalls(rpc, { warehouse: options.warehouse }),
      // createOrder finds the sale by its reference and resumes it (see orders.ts).
      resumesOrderEntry: true,
      // Tryton does not refuse a second sale with one reference.
      refusesDuplicateExternalRef: false,
    },
    // Totals by Tryton's own taxes, on a draft sale deleted again (checkout.ts).
    checkout: trytonCheckout(rpc, { warehouse: options.warehouse }),
    // A request for quotation is a sale priced and quoted by sales in Tryton (quotes.ts).
    quotes: trytonQuotes(rpc, { warehouse: options.warehouse, quoteValidityDays: options.quoteValidityDays }),
    // A return is a sale with negative quantities, as Tryton's own "Return Sale" makes (returns.ts).
    returns: trytonReturns(rpc),
    // Tryton sends no webhooks: erpfront polls it for what changed (changes.ts).
    changes: trytonChangeFeed(rpc),
    lacks: {
      // A sale has an employee, a party none: there is no rep a customer is assigned to.
      salesReps: 'Tryton 6.0 assigns no customers to sales reps',
      orderCancellation: 'cancelling a sale is not mapped yet',
      // Feasible (sale.sale and account.invoice searched by a party list), but without sales reps
      // there is no rep home to serve it yet.
      accountActivity: 'open orders and unpaid invoices by customer are not mapped yet (Tryton 6.0 has no sales reps, whose home page reads them)',
    },
  });
  return { ...connector, rpc };
}
