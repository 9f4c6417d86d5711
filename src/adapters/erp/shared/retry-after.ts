/**
 * `Retry-After`, as ERPs and their gateways send it with a 429 or a 503.
 *
 * @module
 */

/**
 * `Retry-After` in milliseconds: delay-seconds (`2`) or an HTTP date; `undefined` when absent or
 * unreadable. A date in the past means "now".
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
