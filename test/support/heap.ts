/**
 * The heap in use after full collections, without `--expose-gc` on the command line: what a test
 * of memory figures compares before and after filling a store.
 *
 * @module
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Bytes of heap in use once everything unreachable is collected, with the array buffers' bytes,
 * which V8 keeps outside its heap (the response cache keeps its pages as bytes).
 */
export function collectedHeap(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}
