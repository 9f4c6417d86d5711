/**
 * What a cached value really takes on the V8 heap, estimated from its shape: what `CACHE_MAX_MB`
 * counts. The JSON length it replaces counted about half of it (a parsed price entry is four
 * objects with their headers and slots, not 150 characters), so the bound let the heap grow to
 * twice its figure. The constants are V8's sizes on 64-bit Node (no pointer compression), checked
 * against the heap a filled store really takes (test/contract/memory-cache-store.test.ts and
 * `npm run bench:memory`).
 *
 * @module
 */

/** A string: header (map, hash, length), then one byte per Latin-1 character, in 8-byte words. */
const STRING_HEADER = 16;
/**
 * JSON.parse (how every ERP answer arrives) shares strings this short through V8's string table
 * (`"USD"`, `"SKU-00001"`, `"21.41"`): one copy for the whole heap, nothing per value.
 */
const SHARED_STRING_LENGTH = 10;
/** A plain object: header (map, properties, elements) and one slot per property, at least four (V8's in-object slack for `{}`). */
const OBJECT_HEADER = 24;
const MIN_SLOTS = 4;
/** Properties beyond the in-object ones live in a separate array (header and slack). */
const PROPERTY_ARRAY_HEADER = 16;
/** An array: the JSArray (map, properties, elements, length) and its backing store's header. */
const ARRAY_HEADER = 32 + 16;
/** A number that is not a small integer is boxed. */
const HEAP_NUMBER = 16;
const SLOT = 8;
/** Deeper than this, a value is counted as its JSON text: no cached ERP answer nests so far. */
const MAX_DEPTH = 16;

const words = (bytes: number) => Math.ceil(bytes / SLOT) * SLOT;

/** The estimated heap bytes of a string of `length` one-byte characters. */
export function stringBytes(length: number): number {
  return STRING_HEADER + words(length);
}

/**
 * The estimated heap bytes of a JSON-shaped value (what ERP answers are parsed into): objects,
 * arrays, strings, numbers, booleans, null. Strings of up to ten characters count for nothing
 * (JSON.parse shares them, see {@link SHARED_STRING_LENGTH}); longer ones count in full.
 */
export function valueBytes(value: unknown, depth = 0): number {
  switch (typeof value) {
    case 'string':
      return value.length <= SHARED_STRING_LENGTH ? 0 : stringBytes(value.length);
    case 'number':
      return Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 ? 0 : HEAP_NUMBER;
    case 'object': {
      if (value === null) return 0;
      if (depth >= MAX_DEPTH) return stringBytes(JSON.stringify(value)?.length ?? 0);
      if (Array.isArray(value)) {
        let bytes = ARRAY_HEADER + value.length * SLOT;
        for (const element of value) bytes += valueBytes(element, depth + 1);
        return bytes;
      }
      let properties = 0;
      let bytes = 0;
      for (const key in value) {
        properties++;
        bytes += valueBytes((value as Record<string, unknown>)[key], depth + 1);
      }
      bytes += OBJECT_HEADER + Math.max(properties, MIN_SLOTS) * SLOT;
      if (properties > MIN_SLOTS) bytes += PROPERTY_ARRAY_HEADER + (properties - MIN_SLOTS + 3) * SLOT;
      return bytes;
    }
    default:
      // Booleans and undefined are shared constants; functions and symbols are not cached.
      return 0;
  }
}

/**
 * `text` as one flat string, for a string kept long (a cache key, a response's tag). A string
 * built by joining parts (`prices:` + `priceList:PL-OEM:` + `SKU-00001`) is a chain of V8
 * concatenation nodes, and a map keeps the chain beside the flat copy its hashing makes: about
 * 130 bytes more per key, measured (45% of the entry of an empty price scope). Costs a copy: for
 * what is stored, not for what is looked up.
 */
export function flatString(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
