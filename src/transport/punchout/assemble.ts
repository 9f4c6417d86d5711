/**
 * Builds PunchOut from erpfront's parts: the buyer directory, the session store, the service, the
 * HTTP routes, the order notifier, and the bearer-token verifier that knows session tokens. One
 * call from the composition root; nothing here knows the runtime (fetch and the store come in).
 *
 * @module
 */
import type { Hono } from 'hono';
import type { BuyerOrganisation } from '../../domain/punchout/buyer-organisation.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ErpConnector } from '../../ports/erp-connector.ts';
import type { PunchOutStore } from '../../ports/punchout-store.ts';
import type { Logger } from '../../ports/logger.ts';
import type { PlaceOrderDeps } from '../../services/orders/place-order.ts';
import { BuyerDirectory } from '../../services/punchout/buyer-directory.ts';
import { OrderNotifier } from '../../services/punchout/order-notifier.ts';
import { PunchOutService } from '../../services/punchout/punchout-service.ts';
import { withPunchOutTokens } from '../../services/punchout/session-token-verifier.ts';
import { PunchOutSessions } from '../../services/punchout/sessions.ts';
import type { ReadThroughCache } from '../../services/read-through-cache.ts';
import type { TokenVerifier } from '../../services/token-verifier.ts';
import { cxmlNoticeChannel } from './cxml/notice-channel.ts';
import { punchOutRoutes } from './routes.ts';

export interface PunchOutSettings {
  buyers: BuyerOrganisation[];
  store: PunchOutStore;
  startTtlMs: number;
  sessionTtlMs: number;
  maxBodyBytes: number;
  notifyIntervalMs: number;
  /** How long OrderRequest answers are remembered (the idempotency TTL). */
  answerTtlMs: number;
  maxLines: number;
  startUrl?: string;
  publicUrl?: string;
  /** Reverse proxies in front of erpfront (TRUSTED_PROXY_HOPS). */
  trustedProxyHops?: number;
}

export interface PunchOutParts {
  erp: ErpConnector;
  cache: ReadThroughCache;
  clock: Clock;
  maxBatchSize: number;
  orders?: PlaceOrderDeps;
  fetch?: typeof fetch;
  logger: Logger;
}

export interface PunchOut {
  service: PunchOutService;
  routes: Hono;
  /** Sends order confirmations and ship notices; absent without an order pipeline. */
  notifier: OrderNotifier | null;
  /** Wraps the bearer-token verifier so session tokens become `punchout` principals. */
  verifier(verify: TokenVerifier): TokenVerifier;
}

export function assemblePunchOut(settings: PunchOutSettings, parts: PunchOutParts): PunchOut {
  const buyers = new BuyerDirectory(settings.buyers);
  const sessions = new PunchOutSessions(settings.store, parts.clock, { startTtlMs: settings.startTtlMs, sessionTtlMs: settings.sessionTtlMs });
  const service = new PunchOutService({
    buyers, sessions, store: settings.store, erp: parts.erp, cache: parts.cache, clock: parts.clock, maxBatchSize: parts.maxBatchSize,
    orders: parts.orders, answerTtlMs: settings.answerTtlMs, maxLines: settings.maxLines, logger: parts.logger,
  });
  const notifier = parts.orders
    ? new OrderNotifier({
        store: settings.store, orders: parts.orders.store, erp: parts.erp, buyers, clock: parts.clock,
        channel: cxmlNoticeChannel(parts.fetch), intervalMs: settings.notifyIntervalMs, logger: parts.logger,
      })
    : null;
  return {
    service,
    routes: punchOutRoutes({ service, startUrl: settings.startUrl, publicUrl: settings.publicUrl, maxBodyBytes: settings.maxBodyBytes, trustedProxyHops: settings.trustedProxyHops }),
    notifier,
    verifier: (verify) => withPunchOutTokens(verify, sessions),
  };
}
