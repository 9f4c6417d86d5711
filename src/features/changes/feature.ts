/**
 * ERP changes: fresh within seconds. The ERP's change events (signed webhooks at
 * `POST /erp/events`, or, for an ERP without webhooks, a polling job over the connector's change
 * feed) drop exactly the cache entries they made wrong, on every instance, so a price changed in
 * the ERP shows at once instead of when its freshness runs out.
 *
 * @module
 */
import { webhookSecrets } from '../../config/cross-variable-rules.ts';
import type { Feature } from '../feature.ts';
import { createChangeApplier } from './change-applier.ts';
import { eventsRoute } from './events-route.ts';
import { ChangeFeedMonitor, type ChangeFeedService } from './feed-monitor.ts';
import { changePollJob } from './poll-job.ts';
import { createWebhookVerifier } from './webhook-verifier.ts';

declare module '../../transport/graphql/context.ts' {
  interface GraphQLServices {
    /** The change feed's lag and last event, the same on every instance (for the ops console). */
    changeFeed?: ChangeFeedService;
  }
}

export const changesFeature: Feature = {
  name: 'changes',
  setup({ env, clock, backends, invalidation, logger, erp, instanceId, metrics }) {
    const secrets = webhookSecrets(env.ERP_WEBHOOK_SECRET);
    const toleranceMs = env.ERP_WEBHOOK_TOLERANCE_SECONDS * 1000;
    const verify = secrets.length > 0 ? createWebhookVerifier({ secrets, toleranceSeconds: env.ERP_WEBHOOK_TOLERANCE_SECONDS, now: () => clock.now() }) : null;
    const applier = createChangeApplier(invalidation);
    // ERPs without webhooks (Tryton) are asked what changed, every ERP_CHANGES_POLL_SECONDS.
    const polling = env.ERP_CHANGES_POLL_SECONDS > 0 && erp.supports('changes');
    const monitor = new ChangeFeedMonitor({ cursors: backends.cursors, metrics, clock, logger, polling });
    metrics.observeChangeFeed(() => monitor.reading());
    const poll = polling
      ? [changePollJob({ feed: erp, cursors: backends.cursors, applier, monitor, clock, intervalMs: env.ERP_CHANGES_POLL_SECONDS * 1000, instanceId })]
      : [];
    return {
      services: { changeFeed: monitor },
      jobs: poll,
      routes: [
        {
          path: '/',
          // A replay is refused by its timestamp once past the tolerance (either way), so ids are
          // remembered for twice that, and a little for clock skew.
          app: eventsRoute({ verify, deliveries: backends.deliveries, rememberMs: 2 * toleranceMs + 60_000, applier, monitor, logger }),
        },
      ],
    };
  },
};
