/** The in-process cache tier against the CacheStore conformance suite. */
import { createMemoryCacheStore } from '../../src/adapters/stores/memory/cache-store.ts';
import { runCacheStoreContract } from './cache-store.contract.ts';

runCacheStoreContract('memory', () => createMemoryCacheStore());
