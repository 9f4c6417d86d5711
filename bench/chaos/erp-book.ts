/**
 * The ERP's side of a fault campaign: its own list of orders (what the invariants are checked
 * against, never erpfront's view of it), and the faults it can be told to show.
 *
 * The sandbox lists every order at `GET /__control/orders` and takes faults at
 * `POST /__control/faults`. Tryton is read over JSON-RPC (its sales and their lines, as a
 * person in Tryton's client would see them); its only fault is being stopped and started.
 *
 * @module
 */
import type { NodeProcess } from '../../test/support/processes.ts';
import type { RunningTryton } from '../../test/support/tryton.ts';

/** One ERP order as the ERP itself lists it, in erpfront's terms (customer id, SKU). */
export interface ErpOrder {
  externalRef: string | null;
  number: string;
  customerId: string;
  lines: Array<{ sku: string; quantity: number }>;
  /** The ERP's status (a duplicate erpfront found may have been cancelled: it still counts). */
  status: string;
}

export interface ErpBook {
  readonly kind: 'sandbox' | 'tryton';
  /** Every order the ERP holds, oldest first. */
  orders(): Promise<ErpOrder[]>;
  /** The names of the faults the sandbox takes (empty for Tryton). */
  faultNames(): Promise<Set<string>>;
  /** Merges a fault update (sandbox only). */
  faults(patch: Record<string, unknown>): Promise<void>;
  /** Stops the ERP process (connections refused) and starts it again (Tryton's outage). */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

async function control(base: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(
    `${base}/__control/${path}`,
    body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
  );
  if (!response.ok) throw new Error(`sandbox control ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

export const erpOrderBook = {
  sandbox(sandbox: NodeProcess): ErpBook {
    return {
      kind: 'sandbox',
      async orders() {
        return ((await control(sandbox.url, 'orders')) as { orders: ErpOrder[] }).orders.map((o) => ({
          externalRef: o.externalRef,
          number: o.number,
          customerId: o.customerId,
          lines: o.lines.map((l) => ({ sku: l.sku, quantity: Number(l.quantity) })),
          status: o.status,
        }));
      },
      async faultNames() {
        return new Set(Object.keys((await control(sandbox.url, 'faults')) as Record<string, unknown>));
      },
      async faults(patch) {
        await control(sandbox.url, 'faults', patch);
      },
      stop: () => Promise.reject(new Error('the sandbox ERP is taken down with its outage fault, not stopped')),
      start: () => Promise.resolve(),
      close: () => sandbox.stop(),
    };
  },

  tryton(tryton: RunningTryton): ErpBook {
    let rpc: Promise<{ model(operation: string, model: string, method: string, args: readonly unknown[]): Promise<unknown> }> | null = null;
    const direct = () =>
      (rpc ??= (async () => {
        const [{ createTrytonConnector }, { TRYTON_USER }] = await Promise.all([
          import('../../src/adapters/erp/tryton/index.ts'),
          import('../../test/support/tryton.ts'),
        ]);
        return createTrytonConnector({ url: tryton.url, ...TRYTON_USER, timeoutMs: 30_000 }).rpc;
      })());
    const codeOf = (ids: Record<string, number>) => new Map(Object.entries(ids).map(([code, id]) => [id, code]));
    return {
      kind: 'tryton',
      async orders() {
        const call = await direct();
        const sales = (await call.model('chaos', 'sale.sale', 'search_read', [
          [],
          0,
          null,
          [['id', 'ASC']],
          ['reference', 'number', 'party', 'state'],
        ])) as Array<{
          id: number;
          reference: string | null;
          number: string | null;
          party: number;
          state: string;
        }>;
        const lines = (await call.model('chaos', 'sale.line', 'search_read', [
          [['sale', 'in', sales.map((s) => s.id)]],
          0,
          null,
          [['id', 'ASC']],
          ['sale', 'product', 'quantity'],
        ])) as Array<{
          sale: number;
          product: number | null;
          quantity: number;
        }>;
        const parties = codeOf(tryton.ids.customers);
        const products = codeOf(tryton.ids.products);
        return sales.map((sale) => ({
          externalRef: sale.reference || null,
          number: sale.number ?? `sale#${sale.id} (${sale.state})`,
          customerId: parties.get(sale.party) ?? `party#${sale.party}`,
          lines: lines
            .filter((l) => l.sale === sale.id)
            .map((l) => ({ sku: products.get(l.product ?? -1) ?? `product#${l.product}`, quantity: Number(l.quantity) })),
          status: sale.state,
        }));
      },
      faultNames: async () => new Set(),
      faults: () => Promise.reject(new Error('Tryton takes no fault controls; stop and start it instead')),
      stop: () => tryton.stop(),
      start: () => tryton.start(),
      close: () => tryton.close(),
    };
  },
};
