/**
 * The price sheet: the item master and the prices of active customers kept warm in the cache by a
 * background job (`price-sheet-job.ts`), so that while the ERP is down a buyer can be priced and
 * order any item the sheet covers — priced from a kept price, `asOf` saying how old — not only the
 * items viewed in the last hour. Its status (`priceSheet.status()`) and `/metrics` say how much it
 * covers and how old its oldest price is.
 *
 * Set up after the catalog and orders (whose reads it serves); PRICE_SHEET=off turns it off.
 *
 * @module
 */
import type { Feature } from '../feature.ts';
import { PriceSheet } from './price-sheet-job.ts';
import { EMPTY_STATUS, readStatus, type PriceSheetStatus } from './sheet-status.ts';

/** The price sheet as operations read it (the ops console). */
export interface PriceSheetService {
  /** Coverage and age, as last stored by the instance running the sheet; empty while it is off. */
  status(): Promise<PriceSheetStatus>;
}

declare module '../../transport/graphql/context.ts' {
  interface GraphQLServices {
    priceSheet?: PriceSheetService;
  }
}

/** Price entries per SKU a reader asks in one call: contract, price list, list (as the catalog's reader). */
const PRICE_SCOPES_PER_SKU = 3;

export const priceSheetFeature: Feature = {
  name: 'price-sheet',
  setup({ env, backends, erp, cache, clock, metrics, logger, instanceId, punchOutBuyers }) {
    if (!env.PRICE_SHEET) return { services: { priceSheet: { status: async () => EMPTY_STATUS } } };
    const sheet = new PriceSheet({
      erp,
      cache,
      activity: backends.activity,
      cursors: backends.cursors,
      budget: backends.budget,
      clock,
      logger: logger.child({ job: 'price-sheet' }),
      instanceId,
      punchOutCustomers: [...new Set(punchOutBuyers.map((buyer) => buyer.customerId))],
      pace: {
        intervalMs: env.PRICE_SHEET_INTERVAL_SECONDS * 1000,
        callsPerTick: env.PRICE_SHEET_CALLS_PER_TICK,
        batchSize: env.PRICE_SHEET_BATCH,
        // The catalog's reader sends at most ERP_MAX_BATCH SKUs, each in up to three scopes, per call.
        keysPerCall: env.ERP_MAX_BATCH * PRICE_SCOPES_PER_SKU,
      },
      activeWindowMs: env.PRICE_SHEET_ACTIVE_DAYS * 86_400_000,
      maxAgeMs: env.PRICE_SHEET_MAX_AGE_HOURS * 3_600_000,
      refreshMs: env.PRICE_SHEET_REFRESH_MINUTES * 60_000,
      // Without a shared tier the sheet lives in the in-process LRU: half of it, the rest for buyers' reads.
      maxEntries: backends.sharedCache ? null : Math.floor(env.CACHE_MAX_ENTRIES / 2),
    });
    const status = () => readStatus(backends.cursors, clock.now());
    metrics.observePriceSheet(status);
    return {
      services: { priceSheet: { status } },
      jobs: [sheet.job()],
      customerSeen: (customerId) => sheet.seen(customerId),
    };
  },
};
