/**
 * `POST /erp/events`: the ERP's change webhooks (Standard Webhooks). Each delivery is, in order:
 * bounded in size before anything is read; verified (signature with any of ERP_WEBHOOK_SECRET's
 * secrets, timestamp within the tolerance); validated (a known change type and its keys);
 * de-duplicated on `webhook-id` (deliveries come at least once); acted on (the change's cache
 * entries dropped on every instance). No bearer token: the signature is the credential.
 *
 * Answers: 200 `{"status":"accepted"}` or `{"status":"duplicate"}`; 401 bad or missing
 * signature; 400 timestamp out of tolerance, unknown type or bad data; 413 too large; 503 when it
 * could not be acted on (Redis unreachable) or no secret is configured, so the sender retries.
 * Each outcome is counted (`erpfront_change_events_total{source="push"}`), and an accepted change
 * moves the feed's status (`feed-monitor.ts`).
 *
 * @module
 */
import { loggableError } from '../../domain/loggable-error.ts';
import { Hono } from 'hono';
import type { DeliveryLog } from '../../ports/delivery-log.ts';
import type { Logger } from '../../ports/logger.ts';
import { bodyLimit, tooLargeMessage } from '../../transport/http/body-limit.ts';
import { graphqlErrorResponse } from '../../transport/http/error-response.ts';
import type { ChangeApplier } from './change-applier.ts';
import { parseChange } from './change-schema.ts';
import { changedAt, type ChangeFeedMonitor } from './feed-monitor.ts';
import type { Verification } from './webhook-verifier.ts';

/** Largest delivery, in bytes: a thin event naming 1000 SKUs is about 20 KB. */
export const ERP_EVENT_MAX_BODY_BYTES = 64 * 1024;

export interface EventsRouteOptions {
  /** Checks a delivery's signature and timestamp; `null` when no secret is configured. */
  verify: ((body: string, headers: Headers) => Verification) | null;
  deliveries: DeliveryLog;
  /** How long a delivery id is remembered: past the timestamp tolerance a replay fails anyway. */
  rememberMs: number;
  applier: ChangeApplier;
  /** Counts each delivery's outcome and keeps the feed's status. */
  monitor: ChangeFeedMonitor;
  logger: Logger;
}

export function eventsRoute(options: EventsRouteOptions): Hono {
  const app = new Hono();
  const { monitor } = options;
  const limit = bodyLimit({
    maxBytes: ERP_EVENT_MAX_BODY_BYTES,
    refuse: (refusal) => {
      monitor.counted('push', null, 'refused');
      return graphqlErrorResponse(413, 'REQUEST_TOO_LARGE', tooLargeMessage(refusal));
    },
  });
  app.post('/erp/events', limit, async (c) => {
    if (!options.verify) {
      monitor.counted('push', null, 'refused');
      return graphqlErrorResponse(
        503,
        'WEBHOOKS_NOT_CONFIGURED',
        'ERP change webhooks are not set up here: set ERP_WEBHOOK_SECRET to the secret the ERP signs with (whsec_…).',
      );
    }
    const body = await c.req.text();
    const verified = options.verify(body, c.req.raw.headers);
    if (!verified.ok) {
      monitor.counted('push', null, 'refused');
      return graphqlErrorResponse(verified.status, verified.code, verified.message);
    }

    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      monitor.counted('push', null, 'refused');
      return graphqlErrorResponse(
        400,
        'BAD_REQUEST',
        'Expected a JSON body {"type": "price_list.changed", "data": {"priceListId": "PL-OEM", "skus": ["SKU-00001"]}}.',
      );
    }
    const parsed = parseChange(json);
    if (!parsed.ok) {
      monitor.counted('push', typeOf(json), 'refused');
      return graphqlErrorResponse(400, 'BAD_REQUEST', parsed.message);
    }
    const { type } = parsed.change;

    let fresh: boolean;
    try {
      fresh = await options.deliveries.claim(verified.id, options.rememberMs);
    } catch (error) {
      monitor.counted('push', type, 'failed');
      options.logger.error('an ERP change delivery could not be checked for duplicates; refused so the sender retries', { err: loggableError(error) });
      return graphqlErrorResponse(503, 'DELIVERY_LOG_UNAVAILABLE', 'Could not tell whether this delivery was seen before (Redis is unreachable). Retry.');
    }
    if (!fresh) {
      monitor.counted('push', type, 'duplicate');
      return c.json({ status: 'duplicate', id: verified.id });
    }

    try {
      const dropped = await options.applier.apply([parsed.change]);
      await monitor.pushed(parsed.change, changedAt(json, verified.timestamp));
      return c.json({ status: 'accepted', id: verified.id, type, invalidated: dropped });
    } catch (error) {
      monitor.counted('push', type, 'failed');
      // Not acted on everywhere: forget the id so the sender's retry is acted on.
      await options.deliveries.release(verified.id).catch(() => {});
      options.logger.error(`the ERP change ${verified.id} (${parsed.change.type}) could not be broadcast to every instance`, { err: loggableError(error) });
      return graphqlErrorResponse(503, 'INVALIDATION_NOT_BROADCAST', 'Dropped here, but the other instances could not be told (Redis is unreachable). Retry.');
    }
  });
  return app;
}

/** The type a refused body names, if any (counted as `unknown` unless it is a known one). */
function typeOf(json: unknown): string | null {
  const type = (json as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : null;
}
