/**
 * The documents clients registered by Apollo's Automatic Persisted Queries, by their sha256 hash:
 * an LRU bounded by entries and bytes, in this process only.
 *
 * Per instance, on purpose, also in scale-out: a miss costs the client one round trip (it resends
 * the query, which registers it here), while a shared Redis store would let any caller allowed
 * free queries fill the Redis that holds the order queue and the idempotency keys. Every entry is
 * content-addressed (its key is the hash of its text, checked before it is stored), so what one
 * caller registered can only ever run as exactly that text for another.
 *
 * @module
 */
import { LRUCache } from 'lru-cache';

export interface ApqStoreOptions {
  /** Most documents kept. */
  maxEntries: number;
  /** Most document text kept, in characters (a GraphQL document is ASCII: characters are bytes). */
  maxBytes: number;
}

/** No real operation comes near it (the CatalogPage is 0.6 KB): a longer text runs, unregistered. */
export const APQ_MAX_DOCUMENT_CHARS = 64 * 1024;

export class ApqStore {
  readonly #documents: LRUCache<string, string>;

  constructor(options: ApqStoreOptions) {
    this.#documents = new LRUCache<string, string>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      maxEntrySize: Math.min(APQ_MAX_DOCUMENT_CHARS, options.maxBytes),
      sizeCalculation: (text, hash) => text.length + hash.length,
    });
  }

  /** The text registered under `sha256Hash`, or `undefined`. */
  get(sha256Hash: string): string | undefined {
    return this.#documents.get(sha256Hash);
  }

  /** Registers `text` under its hash; the caller has checked that the hash is the text's. */
  set(sha256Hash: string, text: string): void {
    this.#documents.set(sha256Hash, text);
  }

  get size(): number {
    return this.#documents.size;
  }
}

/** The lowercase hex sha256 of `text`'s UTF-8 bytes, as APQ clients compute it (Web Crypto: Node and Workers). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
