/**
 * Tells procurement systems what became of their cXML orders: a ConfirmationRequest once the
 * ERP has the order, a ShipNoticeRequest (carrier, tracking) for every shipment, posted to the
 * buyer's configured URL. It polls erpfront's own view of each order (`viewOrder`, which asks the
 * ERP at status priority), so it needs no ERP webhooks; a failed delivery is retried with
 * exponential backoff, and a document is marked sent only once the buyer answered 2xx.
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
import type { ErpConnector, Shipment } from '../../../ports/erp-connector.ts';
import type { OrderStore } from '../../../ports/order-store.ts';
import type { PunchOutOrderLink, PunchOutStore } from '../../../ports/punchout-store.ts';
import type { Job } from '../../../ports/scheduler.ts';
import { viewOrder } from '../../orders/services/order-view.ts';
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
}

/** Links claimed per batch, and at most per pass: a small batch keeps each claim short. */
const BATCH = 10;
const PER_PASS = 50;

const FINAL = new Set(['SHIPPED', 'INVOICED', 'CANCELLED', 'REJECTED']);

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
          if (this.#failing) console.warn('erpfront: PunchOut order notices resumed');
          this.#failing = false;
        } catch (error) {
          // Once per run of failures: with a shared store, a Redis outage fails every pass.
          if (!this.#failing) console.error('erpfront: PunchOut order notices failed; retrying every pass', error);
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
    console.error(`erpfront: PunchOut order notice for ${link.orderId} failed unexpectedly; retrying`, error);
    await this.#deps.store.saveOrderLink({ ...link, nextAttemptAt: this.#deps.clock.now() + this.#deps.intervalMs }).catch(() => {});
    return 0;
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
    const next = { ...link, noticedShipments: [...link.noticedShipments] };
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
      next.attempts = 0;
      next.lastError = null;
      finished = FINAL.has(view.status);
      next.nextAttemptAt = clock.now() + intervalMs;
    } catch (error) {
      next.attempts++;
      next.lastError = error instanceof Error ? error.message : String(error);
      // Exponential backoff with jitter, capped: a buyer endpoint that is down is not hammered.
      const backoff = Math.min(intervalMs * 2 ** next.attempts, this.#deps.maxBackoffMs ?? 600_000);
      next.nextAttemptAt = clock.now() + backoff * (0.5 + Math.random() / 2);
      console.warn(`erpfront: order notice for ${link.orderId} to buyer ${link.buyerId} failed (attempt ${next.attempts}): ${next.lastError}`);
    }
    // A final order with everything sent has nothing more to send: finished, not polled forever.
    await (finished ? finish(next) : store.saveOrderLink(next));
    return delivered;
  }
}
