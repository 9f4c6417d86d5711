/**
 * Sends ERP change events to erpfront as an ERP does: Standard Webhooks-signed POSTs to
 * `/erp/events`, signed with the `standardwebhooks` package (the sender's side of the library
 * erpfront verifies with), with the id and timestamp a test chooses.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A fresh Standard Webhooks secret. */
export function webhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface Delivery {
  id: string;
  /** Unix seconds. */
  timestamp: number;
  body: string;
  headers: Record<string, string>;
}

/** A signed delivery of `event` (id and timestamp: fresh and now unless given). */
export function signedDelivery(secret: string, event: { type: string; data: unknown }, options: { id?: string; timestamp?: number } = {}): Delivery {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const body = JSON.stringify(event);
  const signature = new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
  return {
    id,
    timestamp,
    body,
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature },
  };
}

/** POSTs a delivery to `baseUrl/erp/events`; the status and the JSON answer. */
export async function deliver(baseUrl: string, delivery: Pick<Delivery, 'body' | 'headers'>): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}/erp/events`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  return { status: response.status, body: await response.json() };
}
