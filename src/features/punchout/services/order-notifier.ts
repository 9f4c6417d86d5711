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
 * or invoiced, and the link stays open until the order is invoiced and its invoice sent.
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
  logger: Logger;
}

/** Links claimed per batch, and at most per pass: a small batch keeps each claim short. */
const BATCH = 10;
const PER_PASS = 50;

const FINAL = new Set(['SHIPPED', 'INVOICED', 'CANCELLED', 'REJECTED']);

/** Statuses in which an order may have invoices (or credit memos) to send. */
const BILLED = new Set(['PARTIALLY_SHIPPED', 'SHIPPED', 'INVOICED']);

export class OrderNotifier {
  readonly #deps: OrderNotifierDeps;
  #failing = false;

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
    for (let claimed = 0; claimed < PER_PASS; ) {
      const batch = await store.dueOrderLinks(clock.now(), BATCH, this.#deps.claimMs ?? 300_000);
      for (const link of batch) delivered += await this.#advance(link).catch((error: unknown) => this.#release(link, error));
      claimed += batch.length;
      if (batch.length < BATCH) break;
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
    const [list] = await this.#deps.erp.getInvoices([customerId], { priority: 'status' });
    if (list instanceof Error) throw list;
    return (list ?? []).filter((i) => i.orderExternalRef === orderId || (erpOrderNumber !== null && i.orderNumber === erpOrderNumber)).reverse();
  }

  async #advance(link: PunchOutOrderLink): Promise<number> {
    const { store, orders, erp, buyers, clock, channel, intervalMs } = this.#deps;
    const finish = (final: PunchOutOrderLink) => store.finishOrderLink(final, { now: clock.now(), retainMs: this.#deps.retainFinishedMs ?? 30 * 86_400_000 });
    const done = () => finish(link);
    const buyer = buyers.byId(link.buyerId);
    const url = buyer?.cxml?.orderStatusUrl;
    const stored = await orders.get(link.orderId);
    if (!buyer || !url || !stored) return (await done(), 0);
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
      // With e-invoices an order is done once invoiced and its invoice sent, not when shipped.
      finished = eInvoices ? view.status === 'INVOICED' && invoices.some((i) => i.kind === 'INVOICE') : FINAL.has(view.status);
      next.nextAttemptAt = clock.now() + intervalMs;
    } catch (error) {
      next.attempts++;
      next.lastError = error instanceof Error ? error.message : String(error);
      // Exponential backoff with jitter, capped: a buyer endpoint that is down is not hammered.
      const backoff = Math.min(intervalMs * 2 ** next.attempts, this.#deps.maxBackoffMs ?? 600_000);
      next.nextAttemptAt = clock.now() + backoff * (0.5 + Math.random() / 2);
      // The buyer's endpoint answered (or failed) in its own words: its text, addresses cut out.
      this.#deps.logger.warn(`order notice for ${link.orderId} to buyer ${link.buyerId} failed (attempt ${next.attempts})`, {
        orderId: link.orderId,
        buyerId: link.buyerId,
        attempts: next.attempts,
        retryInMs: Math.round(next.nextAttemptAt - clock.now()),
        err: loggableError(error),
      });
    }
    // A final order with everything sent has nothing more to send: finished, not polled forever.
    await (finished ? finish(next) : store.saveOrderLink(next));
    return delivered;
  }
}
