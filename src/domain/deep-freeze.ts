/**
 * Freezing a value and everything it holds: for values shared by every request that reads them
 * (the sandbox ERP's data set, the read path's price quotes and availability answers), so that
 * none can change what the others see, and so that what is written from them once (the JSON
 * executor keeps the text of a frozen answer) stays true.
 *
 * @module
 */

/** Freezes `value` and, depth first, every object and array it holds; returns `value`. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
