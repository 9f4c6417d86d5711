/**
 * Tells procurement systems what became of their cXML orders: a ConfirmationRequest once the
 * ERP has the order, a ShipNoticeRequest (carrier, tracking) for every shipment, posted to the
 * buyer's configured URL. It polls erpfront's own view of each order (`viewOrder`, which asks the
 * ERP at status priority), so it needs no ERP webhooks; a failed delivery is retried with
 * exponential backoff, and a document is marked sent only once the buyer answered 2xx.
 *
 * A buyer configured for e-invoices (`cxml.eInvoices`) also gets each invoice and credit memo of
 * the order as an InvoiceDetailRequest, once: they are read from the ERP (`getInvoices`, the
 * customer's list, matched to the order by its reference or number) while the order is shipping
 * or invoiced, and the link stays open until the order is invoiced and its invoice sent. Credit
 * memos come later too (a return credited weeks after): once invoiced, the link is looked at every
 * `creditMemoWatch.intervalMs` for `creditMemoWatch.forMs` more — its invoices only, not the
 * order — each new credit memo sent once, then finished.
 *
 * Several instances may share the store (Redis): each pass claims the links it works on
 * (`dueOrderLinks` with a lease), so a buyer gets each document once, not once per instance.
 * A link is finished once its order is final and everything was sent; it is then kept for
 * `retainFinishedMs` (delete requests still find the order) and forgotten.
 *
 * @module
 */
import type { BuyerOrganisation } from '../domain/buyer-organisation.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { ErpConnector, ErpInvoice, Shipment } from '../../../ports/erp-connector.ts';
import type { OrderStore } from '../../../ports/order-store.ts';
import type { PunchOutOrderLink, PunchOutStore } from '../../../ports/punchout-store.ts';
import type { Job } from '../../../ports/scheduler.ts';
import { viewOrder } from '../../orders/services/order-view.ts';
import type { Logger } from '../../../ports/logger.ts';
import { loggableError } from '../../../domain/loggable-error.ts';
import type { BuyerDirectory } from './buyer-directory.ts';

/** What the documents refer to (the buyer's PO and the OrderRequest's payloadID). */
export interface NoticeReference {
  buyerOrderId: string;
  orderDate: string;
  orderPayloadId: string;
  erpOrderNumber: string | null;
}

/** Writes the documents (cXML transport) and posts them; injected so this service stays wire-free. */
export interface NoticeChannel {
  confirmation(buyer: BuyerOrganisation, ref: NoticeReference, now: number): string;
  shipNotice(
    buyer: BuyerOrganisation,
    ref: NoticeReference,
    shipment: Shipment,
    lines: ReadonlyMap<string, { lineNumber: number; unit: string }>,
    now: number,
  ): string;
  invoiceDetail(buyer: BuyerOrganisation, ref: NoticeReference, invoice: ErpInvoice, now: number): string;
  /** Posts a document; resolves when the buyer accepted it, rejects with the reason otherwise. */
  deliver(url: string, document: string): Promise<void>;
}

export interface OrderNotifierDeps {
  store: PunchOutStore;
  orders: OrderStore;
  erp: ErpConnector;
  buyers: BuyerDirectory;
  clock: Clock;
  channel: NoticeChannel;
  /** How often orders are looked at (and the first retry delay). */
  intervalMs: number;
  /** Longest wait between two delivery attempts. */
  maxBackoffMs?: number;
  /**
   * How long a pass holds the links it claimed (default 5 minutes): longer than one batch takes
   * (an ERP read and a few deliveries of at most 10 s each per link), so no other instance sends
   * the same document meanwhile; a crashed instance's links are retried after it.
   */
  claimMs?: number;
  /** How long a finished link is kept for delete requests (default 30 days). */
  retainFinishedMs?: number;
  /**
   * E-invoices: how often an invoiced order is looked at for credit memos issued later, and for how
   * long after its invoice was sent (default hourly, 90 days; `forMs` 0: none after the invoice).
   */
  creditMemoWatch?: { intervalMs: number; forMs: number };
  logger: Logger;
}

/** Links claimed per batch, and at most per pass: a small batch keeps each claim short. */
const BATCH = 10;
const PER_PASS = 50;

const FINAL = new Set(['SHIPPED', 'INVOICED', 'CANCELLED', 'REJECTED']);

/** Credit memos of an invoiced order are looked for hourly, for 90 days after its invoice. */
const DEFAULT_CREDIT_MEMO_WATCH = { intervalMs: 3_600_000, forMs: 90 * 86_400_000 };

/** Statuses in which an order may have invoices (or credit memos) to send. */
const BILLED = new Set(['PARTIALLY_SHIPPED', 'SHIPPED', 'INVOICED']);

export class OrderNotifier {
  readonly #deps: OrderNotifierDeps;
  #failing = false;
  /** A customer's invoice list, read once per pass however many of its orders are looked at. */
  #invoiceLists = new Map<string, Promise<ErpInvoice[]>>();

  constructor(deps: OrderNotifierDeps) {
    this.#deps = deps;
  }

  /** The notice job: a pass every `intervalMs`; a run of failing passes is logged once. */
  job(): Job {
    return {
      name: 'punchout-order-notices',
      intervalMs: this.#deps.intervalMs,
      tick: async () => {
        try {
          await this.tick();
          if (this.#failing) this.#deps.logger.warn('PunchOut order notices resumed');
          this.#failing = false;
        } catch (error) {
          // Once per run of failures: with a shared store, a Redis outage fails every pass.
          if (!this.#failing) this.#deps.logger.error('PunchOut order notices failed; retrying every pass', { err: loggableError(error) });
          this.#failing = true;
        }
      },
    };
  }

  /** One pass over the orders due; returns how many documents were delivered. */
  async tick(): Promise<number> {
    const { store, clock } = this.#deps;
    let delivered = 0;
    this.#invoiceLists = new Map();
    try {
      for (let claimed = 0; claimed < PER_PASS; ) {
        const batch = await store.dueOrderLinks(clock.now(), BATCH, this.#deps.claimMs ?? 300_000);
        for (const link of batch) delivered += await this.#advance(link).catch((error: unknown) => this.#release(link, error));
        claimed += batch.length;
        if (batch.length < BATCH) break;
      }
    } finally {
      this.#invoiceLists = new Map();
    }
    return delivered;
  }

  /**
   * An unexpected failure (the order store unreachable, a bug) on one link: the others of the
   * batch still go, and this one is given back for the next pass instead of waiting out its claim.
   */
  async #release(link: PunchOutOrderLink, error: unknown): Promise<number> {
    this.#deps.logger.error(`PunchOut order notice for ${link.orderId} failed unexpectedly; retrying`, {
      orderId: link.orderId,
      buyerId: link.buyerId,
      err: loggableError(error),
    });
    await this.#deps.store.saveOrderLink({ ...link, nextAttemptAt: this.#deps.clock.now() + this.#deps.intervalMs }).catch(() => {});
    return 0;
  }

  /** The invoices and credit memos of one order, from the customer's list in the ERP, oldest first. */
  async #orderInvoices(customerId: string, orderId: string, erpOrderNumber: string | null): Promise<ErpInvoice[]> {
    let read = this.#invoiceLists.get(customerId);
    if (!read) {
      read = this.#deps.erp.getInvoices([customerId], { priority: 'status' }).then(([list]) => {
        if (list instanceof Error) throw list;
        return list ?? [];
      });
      // A failed read is not kept: the next link of the customer asks again.
      read.catch(() => this.#invoiceLists.delete(customerId));
      this.#invoiceLists.set(customerId, read);
    }
    const list = await read;
    return list.filter((i) => i.orderExternalRef === orderId || (erpOrderNumber !== null && i.orderNumber === erpOrderNumber)).reverse();
  }

  async #advance(link: PunchOutOrderLink): Promise<number> {
    const { store, orders, erp, buyers, clock, channel, intervalMs } = this.#deps;
    const finish = (final: PunchOutOrderLink) => store.finishOrderLink(final, { now: clock.now(), retainMs: this.#deps.retainFinishedMs ?? 30 * 86_400_000 });
    const done = () => finish(link);
    const buyer = buyers.byId(link.buyerId);
    const url = buyer?.cxml?.orderStatusUrl;
    const stored = await orders.get(link.orderId);
    if (!buyer || !url || !stored) return (await done(), 0);
    if (link.creditMemosUntil !== undefined) return this.#watchCredits(link, buyer, url, stored.customerId);
    const view = await viewOrder(stored, erp);
    if (view.status === 'QUEUED' || view.status === 'ON_HOLD' || view.stale) {
      await store.saveOrderLink({ ...link, nextAttemptAt: clock.now() + intervalMs });
      return 0;
    }
    if (view.status === 'CANCELLED' || view.status === 'REJECTED') return (await done(), 0);
    const ref: NoticeReference = {
      buyerOrderId: link.buyerOrderId,
      orderDate: link.orderDate,
      orderPayloadId: link.orderPayloadId,
      erpOrderNumber: view.erpOrderNumber,
    };
    const lines = new Map(stored.request.lines.map((l, i) => [l.sku, { lineNumber: i + 1, unit: l.unitOfMeasure }]));
    const eInvoices = buyer.cxml?.eInvoices === true && erp.supports('invoices');
    let invoices: ErpInvoice[] = [];
    if (eInvoices && BILLED.has(view.status)) {
      try {
        invoices = await this.#orderInvoices(stored.customerId, link.orderId, view.erpOrderNumber);
      } catch (error) {
        // The ERP did not answer: nothing is sent out of order; the whole link is looked at next pass.
        this.#deps.logger.warn(`invoices of ${link.orderId} could not be read; retrying`, { orderId: link.orderId, err: loggableError(error) });
        await store.saveOrderLink({ ...link, nextAttemptAt: clock.now() + intervalMs });
        return 0;
      }
    }
    const next = { ...link, noticedShipments: [...link.noticedShipments], noticedInvoices: [...(link.noticedInvoices ?? [])] };
    let delivered = 0;
    let finished = false;
    try {
      if (!next.confirmed) {
        await channel.deliver(url, channel.confirmation(buyer, ref, clock.now()));
        next.confirmed = true;
        delivered++;
      }
      for (const shipment of view.shipments) {
        if (next.noticedShipments.includes(shipment.id)) continue;
        await channel.deliver(url, channel.shipNotice(buyer, ref, shipment, lines, clock.now()));
        next.noticedShipments.push(shipment.id);
        delivered++;
      }
      for (const invoice of invoices) {
        if (next.noticedInvoices.includes(invoice.number)) continue;
        await channel.deliver(url, channel.invoiceDetail(buyer, ref, invoice, clock.now()));
        next.noticedInvoices.push(invoice.number);
        delivered++;
      }
      next.attempts = 0;
      next.lastError = null;
      // With e-invoices an order is done once invoiced and its invoice sent, not when shipped;
      // then only its later credit memos are looked for, now and then, for a while.
      finished = eInvoices ? view.status === 'INVOICED' && invoices.some((i) => i.kind === 'INVOICE') : FINAL.has(view.status);
      next.nextAttemptAt = clock.now() + intervalMs;
      const watch = this.#deps.creditMemoWatch ?? DEFAULT_CREDIT_MEMO_WATCH;
      if (finished && eInvoices && watch.forMs > 0) {
        finished = false;
        next.creditMemosUntil = clock.now() + watch.forMs;
        next.erpOrderNumber = view.erpOrderNumber;
        next.nextAttemptAt = clock.now() + watch.intervalMs;
      }
    } catch (error) {
      this.#failed(next, error);
    }
    // A final order with everything sent has nothing more to send: finished, not polled forever.
    await (finished ? finish(next) : store.saveOrderLink(next));
    return delivered;
  }

  /**
   * An invoiced order's later credit memos (a credited return): its invoices read, each new one
   * sent once; looked at again in `creditMemoWatch.intervalMs` until `creditMemosUntil`, then finished.
   */
  async #watchCredits(link: PunchOutOrderLink, buyer: BuyerOrganisation, url: string, customerId: string): Promise<number> {
    const { store, clock, channel } = this.#deps;
    const watch = this.#deps.creditMemoWatch ?? DEFAULT_CREDIT_MEMO_WATCH;
    const finish = (final: PunchOutOrderLink) => store.finishOrderLink(final, { now: clock.now(), retainMs: this.#deps.retainFinishedMs ?? 30 * 86_400_000 });
    // The buyer no longer takes e-invoices: nothing more to send.
    if (buyer.cxml?.eInvoices !== true) return (await finish(link), 0);
    let invoices: ErpInvoice[];
    try {
      invoices = await this.#orderInvoices(customerId, link.orderId, link.erpOrderNumber ?? null);
    } catch (error) {
      this.#deps.logger.warn(`credit memos of ${link.orderId} could not be read; retrying`, { orderId: link.orderId, err: loggableError(error) });
      // Nothing is due to the buyer yet: the next look, not a tight retry, while the ERP is down.
      await store.saveOrderLink({ ...link, nextAttemptAt: clock.now() + Math.min(watch.intervalMs, 60_000) });
      return 0;
    }
    const ref: NoticeReference = {
      buyerOrderId: link.buyerOrderId,
      orderDate: link.orderDate,
      orderPayloadId: link.orderPayloadId,
      erpOrderNumber: link.erpOrderNumber ?? null,
    };
    const next = { ...link, noticedInvoices: [...(link.noticedInvoices ?? [])] };
    let delivered = 0;
    try {
      for (const invoice of invoices) {
        if (next.noticedInvoices.includes(invoice.number)) continue;
        await channel.deliver(url, channel.invoiceDetail(buyer, ref, invoice, clock.now()));
        next.noticedInvoices.push(invoice.number);
        delivered++;
      }
      next.attempts = 0;
      next.lastError = null;
      next.nextAttemptAt = clock.now() + watch.intervalMs;
    } catch (error) {
      this.#failed(next, error);
    }
    const over = next.attempts === 0 && clock.now() >= (link.creditMemosUntil ?? 0);
    await (over ? finish(next) : store.saveOrderLink(next));
    return delivered;
  }

  /** A delivery failed: the next attempt after an exponential backoff with jitter, logged. */
  #failed(next: PunchOutOrderLink, error: unknown): void {
    const { clock, intervalMs } = this.#deps;
    next.attempts++;
    next.lastError = error instanceof Error ? error.message : String(error);
    // Exponential backoff with jitter, capped: a buyer endpoint that is down is not hammered.
    const backoff = Math.min(intervalMs * 2 ** next.attempts, this.#deps.maxBackoffMs ?? 600_000);
    next.nextAttemptAt = clock.now() + backoff * (0.5 + Math.random() / 2);
    // The buyer's endpoint answered (or failed) in its own words: its text, addresses cut out.
    this.#deps.logger.warn(`order notice for ${next.orderId} to buyer ${next.buyerId} failed (attempt ${next.attempts})`, {
      orderId: next.orderId,
      buyerId: next.buyerId,
      attempts: next.attempts,
      retryInMs: Math.round(next.nextAttemptAt - clock.now()),
      err: loggableError(error),
    });
  }
}
