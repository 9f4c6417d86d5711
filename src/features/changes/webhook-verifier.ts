/**
 * Standard Webhooks verification (https://www.standardwebhooks.com): a delivery carries
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256
 * of "id.timestamp.body">`, several space separated while the sender rotates). The HMAC and its
 * constant-time comparison are the `standardwebhooks` package's; here: several secrets (erpfront's
 * side of a rotation: the old and the new one are both accepted until the sender has switched),
 * the timestamp tolerance on erpfront's clock, and which refusal is which.
 *
 * The timestamp is checked before the signature, as the reference library does: a delivery outside
 * the window is refused 400 whatever its signature, which tells a sender with a wrong clock what
 * is wrong. A missing or wrong signature is 401.
 *
 * @module
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export interface WebhookVerifierOptions {
  /** `whsec_…` secrets, any of which may have signed a delivery. */
  secrets: readonly string[];
  /** How far a delivery's timestamp may be from now, either way (replays older than this fail). */
  toleranceSeconds: number;
  /** Epoch ms. */
  now: () => number;
}

/** A verified delivery's id and timestamp, or why it is refused. */
export type Verification =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; status: 400 | 401; code: 'WEBHOOK_SIGNATURE_INVALID' | 'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE'; message: string };

const HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

export function createWebhookVerifier(options: WebhookVerifierOptions): (body: string, headers: Headers) => Verification {
  const hooks = options.secrets.map((secret) => new Webhook(secret));
  const unsigned = (message: string): Verification => ({ ok: false, status: 401, code: 'WEBHOOK_SIGNATURE_INVALID', message });
  const outOfTolerance = (message: string): Verification => ({ ok: false, status: 400, code: 'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE', message });

  return (body, headers) => {
    const missing = HEADERS.filter((name) => !headers.get(name));
    if (missing.length > 0)
      return unsigned(`Missing ${missing.join(', ')}: deliveries must be signed as Standard Webhooks describes, with a secret from ERP_WEBHOOK_SECRET.`);
    const id = headers.get('webhook-id')!;
    const stamp = headers.get('webhook-timestamp')!;
    if (!/^\d{1,12}$/.test(stamp)) return outOfTolerance(`webhook-timestamp: expected Unix seconds, got ${JSON.stringify(stamp.slice(0, 40))}.`);
    const timestamp = Number(stamp);
    const skew = Math.round(options.now() / 1000) - timestamp;
    if (Math.abs(skew) > options.toleranceSeconds) {
      return outOfTolerance(
        `webhook-timestamp is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'in the future'}; at most ${options.toleranceSeconds} s is accepted. A retry must be signed anew with the time it is sent, and the sender's clock must be right.`,
      );
    }
    const signed = { 'webhook-id': id, 'webhook-timestamp': stamp, 'webhook-signature': headers.get('webhook-signature')! };
    for (const hook of hooks) {
      try {
        hook.verify(body, signed, { jsonParse: false });
        return { ok: true, id, timestamp };
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        // The library checks the timestamp on its own clock too (5 minutes, fixed).
        if (/timestamp/i.test(error.message)) return outOfTolerance(`webhook-timestamp is outside the 5 minutes Standard Webhooks accepts.`);
      }
    }
    return unsigned('No webhook-signature matches this delivery with any secret in ERP_WEBHOOK_SECRET (a v1 HMAC-SHA256 of "id.timestamp.body").');
  };
}
