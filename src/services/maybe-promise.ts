/**
 * Values that are ready now or later. Resolvers read warm data synchronously and fall back to a
 * DataLoader only on a miss: on a warm page that saves thousands of promise jobs per request.
 *
 * @module
 */

export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Applies `fn` now when `value` is ready, after it resolves otherwise. */
// Not named `then`: a module exporting `then` is itself a thenable, and `import()` of it never settles.
export function after<T, R>(value: MaybePromise<T>, fn: (ready: T) => MaybePromise<R>): MaybePromise<R> {
  return isPromise(value) ? value.then(fn) : fn(value);
}

/** Like `Promise.all`, but stays synchronous when every value is ready. */
export function all<T extends readonly unknown[]>(values: { [K in keyof T]: MaybePromise<T[K]> }): MaybePromise<T> {
  return (values as readonly unknown[]).some((v) => isPromise(v)) ? (Promise.all(values) as Promise<T>) : (values as unknown as T);
}

/**
 * Runs `body`; whatever it throws or rejects with is replaced by what `map` returns (to give a
 * failure a more precise meaning, e.g. "not found" as `PRODUCT_NOT_FOUND`). Stays synchronous
 * when the body is.
 */
export function mapFailure<T>(body: () => MaybePromise<T>, map: (error: unknown) => unknown): MaybePromise<T> {
  try {
    const value = body();
    return isPromise(value) ? value.catch((error: unknown) => Promise.reject(map(error))) : value;
  } catch (error) {
    throw map(error);
  }
}
