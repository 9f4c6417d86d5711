/**
 * The delivery log port: which webhook deliveries (by their `webhook-id`) erpfront has already
 * acted on. Webhooks are delivered at least once, so the same delivery can arrive twice (a retry
 * after a lost reply, a replay); the second is answered 2xx and does nothing.
 *
 * An id is claimed before the delivery is acted on and forgotten again if acting failed, so the
 * sender's retry is acted on. Ids are kept for a bounded time: a delivery older than the
 * signature's timestamp tolerance is refused by its timestamp anyway, so the log only needs to
 * cover that window. In memory for one process (embedded), in Redis where several instances
 * share the webhook endpoint (scale-out).
 *
 * @module
 */
export interface DeliveryLog {
  /**
   * Records `id` as seen for `retainMs`. Resolves `true` when it was not seen before (act on the
   * delivery), `false` for a duplicate. Atomic: of two instances claiming one id at once, one wins.
   * @throws when the log cannot be reached (Redis down): the delivery must be refused so the
   *   sender retries, since it could be neither acted on safely nor skipped.
   */
  claim(id: string, retainMs: number): Promise<boolean>;
  /** Forgets a claim whose delivery could not be acted on, so the sender's retry is. */
  release(id: string): Promise<void>;
}
