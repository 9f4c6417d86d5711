/**
 * The arithmetic of one leaky bucket of points, shared by the in-process throttle store (which
 * runs it) and the Redis one (whose Lua script mirrors it line for line, see
 * `adapters/stores/redis/throttle-scripts.ts`). Pure: time is an argument.
 *
 * A bucket is stored as the level it had at an instant; the level now is that plus what was
 * restored since, capped at the capacity. So an idle bucket costs nothing to keep up to date, and
 * one that has refilled is the same as no bucket at all (a store may forget it).
 *
 * @module
 */

/** A bucket as stored: `level` points at `at` (epoch ms). */
export interface BucketState {
  level: number;
  at: number;
}

/** Capacity and restore rate, validated (both positive and finite). */
export interface Limits {
  capacity: number;
  restorePerSecond: number;
}

/** The level of `state` at `now`: restored since, never above capacity; a missing bucket is full. */
export function levelAt(state: BucketState | undefined, limits: Limits, now: number): number {
  if (state === undefined) return limits.capacity;
  // A clock that stepped back restores nothing, and takes nothing back either.
  const elapsed = Math.max(0, now - state.at);
  return Math.min(limits.capacity, state.level + (elapsed * limits.restorePerSecond) / 1000);
}

/** How long until `level` holds `points` at the restore rate (ms, at least 1 when not already there). */
export function msUntil(level: number, points: number, limits: Limits): number {
  if (level >= points) return 0;
  return Math.max(1, Math.ceil(((points - level) * 1000) / limits.restorePerSecond));
}

/**
 * Checks a caller's limits and a cost; a `TypeError` naming what was wrong otherwise. Limits come
 * from configuration (validated at start) and costs from the cost function: a bad one is a bug.
 */
export function checkBucketCall(points: number | null, limits: Limits): void {
  if (!(Number.isFinite(limits.capacity) && limits.capacity > 0))
    throw new TypeError(`throttle: capacity must be a positive number, but got: ${String(limits.capacity)}`);
  if (!(Number.isFinite(limits.restorePerSecond) && limits.restorePerSecond > 0)) {
    throw new TypeError(`throttle: restorePerSecond must be a positive number, but got: ${String(limits.restorePerSecond)}`);
  }
  if (points !== null && !(Number.isFinite(points) && points > 0))
    throw new TypeError(`throttle: points must be a positive number, but got: ${String(points)}`);
}
