/**
 * Splitting a key list into the ERP's largest batch: ERPs cap list filters (500 ids, 1,000 price
 * keys...), and a longer list is several calls.
 *
 * @module
 */

/** `values` in order, in lists of at most `size`. */
export function chunks<T>(values: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunks: expected a batch size of at least 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
