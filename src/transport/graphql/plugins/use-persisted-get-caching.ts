/**
 * The HTTP caching of a read fetched by GET with a document id (a trusted document's
 * `documentId`, an APQ hash): what makes hashed GETs worth sending.
 *
 * Every answer is one caller's (a buyer's prices, their credit), so it is `private`: a CDN or
 * proxy must never keep it for another. The browser may keep it a few seconds
 * (`PERSISTED_GET_MAX_AGE_SECONDS`, default 5: going back and forth between pages asks once),
 * well under the freshest data's own freshness (stock, 20 s). `Vary: Authorization,
 * X-Customer-Id` keeps a copy to the token and customer it answered (a shared computer, a rep
 * switching customers). Answers with errors and refusals are `no-store`: the next try may
 * succeed (after an APQ miss, it will).
 *
 * @module
 */
import type { Plugin } from 'graphql-yoga';

export interface PersistedGetCachingOptions {
  /** `max-age` of a successful read; 0: `private, no-cache` (the browser revalidates each time). */
  maxAgeSeconds: number;
}

/** The request headers an answer depends on, besides its URL. */
const VARY = 'Authorization, X-Customer-Id';

/** A GET naming its document by id rather than sending its text. */
function isGetById(request: Request): boolean {
  if (request.method !== 'GET') return false;
  const search = new URL(request.url).searchParams;
  return !search.has('query') && (search.has('documentId') || (search.get('extensions') ?? '').includes('persistedQuery'));
}

export function usePersistedGetCaching(options: PersistedGetCachingOptions): Plugin {
  const cacheControl = options.maxAgeSeconds > 0 ? `private, max-age=${options.maxAgeSeconds}` : 'private, no-cache';
  /** GETs by id, and whether their answer is a single result without errors. */
  const gets = new WeakMap<Request, { clean: boolean }>();
  return {
    onRequest({ request }) {
      if (isGetById(request)) gets.set(request, { clean: false });
    },
    onResultProcess({ request, result }) {
      const get = gets.get(request);
      if (!get) return;
      // A stream or a batch is no single read to cache.
      const single = !Array.isArray(result) && !(Symbol.asyncIterator in result);
      get.clean = single && ((result as { errors?: readonly unknown[] }).errors?.length ?? 0) === 0;
    },
    onResponse({ request, response }) {
      const get = gets.get(request);
      if (!get) return;
      if (response.status !== 200 || !get.clean) {
        response.headers.set('cache-control', 'no-store');
        return;
      }
      response.headers.set('cache-control', cacheControl);
      const vary = response.headers.get('vary');
      response.headers.set('vary', vary ? `${vary}, ${VARY}` : VARY);
    },
  };
}
