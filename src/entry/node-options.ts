/**
 * The V8 options erpfront runs with on Node: `npm run serve` and `npm start` put them in front of
 * the caller's own `NODE_OPTIONS`, so that a caller's setting (the README's bounded-memory
 * recipe, `--max-semi-space-size=8`) comes later and wins.
 *
 * `--max-semi-space-size=16`: the young generation at most 2 × 16 MB. Node 24 on a machine with
 * 24 GB of memory (this project's test machines) allows it 2 × 64 MB, and erpfront can then
 * fall into a state where V8 runs a full collection every few hundred milliseconds under load,
 * with no scavenge at all, and stays there (measured: +20% to +77% CPU per warm page). How it
 * comes about (read from `--trace-gc-verbose` and `--trace-incremental-marking`):
 * - erpfront's old generation grows slowly: what a warm page keeps is in its caches already, so
 *   each collection promotes almost nothing. After a full collection V8 sets the next limit from
 *   that growth rate, at about 1.1 × what is live plus the young generation's size *at that
 *   moment*.
 * - After an idle spell (V8's memory reducer collects and shrinks the young generation), or while
 *   the young generation is still growing, that size is far below what it grows to under load.
 * - V8 starts marking as soon as the room left under the limit is smaller than the young
 *   generation's target size: at once, and after every full collection again, which promotes
 *   nothing and so sets the same limit.
 * With the young generation capped at 16 MB it reaches its size within a few collections, the
 * room above what is live covers it, and the process leaves that state after the idle spell
 * (`bench/scale-out.ts` shows it: an instance that idled, then took the load). The price: under
 * steady load, four times as many scavenges. In four side-by-side runs of `npm run bench:cpu` a
 * warm page with the cap took −8%, +15%, +15% and −1% CPU against a 2 × 64 MB young generation
 * (this machine's noise is ±10–15%; an uncapped process can itself be in the loop there); a
 * response-cache hit about the same. 2 × 32 MB also left the loop in one run. The memory reducer
 * itself stays on: it is what gives a filled process's garbage back once idle
 * (`npm run bench:memory`).
 */
export const ERPFRONT_NODE_OPTIONS = '--max-semi-space-size=16';
