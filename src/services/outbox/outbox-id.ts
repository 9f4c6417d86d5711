/**
 * The id of an ERP write in the outbox, which is also its external reference in the ERP: derived
 * from the customer and the client's idempotency key, so a retried request finds the write it
 * made; random when the client sent no key.
 *
 * @module
 */

/** `<prefix>-` and 32 hex digits (SHA-256 of customer and key), or a random UUID without a key. */
export async function outboxId(prefix: string, customerId: string, key: string | null): Promise<string> {
  if (key === null) return `${prefix}-${crypto.randomUUID()}`;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${customerId}\u0000${key}`));
  const hex = [...new Uint8Array(digest)]
    .slice(0, 16)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
  return `${prefix}-${hex}`;
}
