/**
 * The invalidation bus port: how an ERP change reaches every instance's in-process cache.
 *
 * A message names a cache domain and the exact keys that changed, in the scope-carrying form the
 * cache uses (`priceList:PL-OEM:SKU-00001`, `C0001`, `SKU-00001`). Delivery is at most once and
 * fast (Redis pub/sub); a subscriber whose connection dropped may have missed messages, so the
 * bus says so when it is back (`onMissed`) and the instance forgets its whole in-process tier.
 * Without a bus (one instance) nothing is sent.
 *
 * @module
 */
import type { KeyPattern } from './cache-store.ts';
import type { CacheDomain } from '../services/read-through-cache.ts';

export interface InvalidationMessage {
  domain: CacheDomain;
  keys: string[];
  /**
   * Key shapes whose every entry changed, within the domain (`priceList:PL-OEM:`): an ERP change
   * that names a scope but not its keys (a whole price list). Absent in most messages.
   */
  patterns?: KeyPattern[];
  /** The instance that sent it (it has already dropped its own entries). */
  origin: string;
}

export interface InvalidationBus {
  publish(message: InvalidationMessage): Promise<void>;
  /**
   * Calls `handler` for every message, this instance's own included, and `onMissed` each time
   * the subscription is back after a break during which messages may have been lost. Returns
   * the unsubscribe.
   */
  subscribe(handler: (message: InvalidationMessage) => void, onMissed: () => void): Promise<() => Promise<void>>;
}
