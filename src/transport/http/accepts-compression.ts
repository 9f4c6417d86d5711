/**
 * Whether a client takes compressed answers: what decides, on every transport, that an answer
 * goes through hono's compress middleware (which then picks gzip or deflate, by q-values).
 *
 * @module
 */

/** Whether `Accept-Encoding` may select gzip or deflate. */
export function acceptsCompression(header: string | undefined | null): boolean {
  return typeof header === 'string' && /gzip|deflate|\*/i.test(header);
}
