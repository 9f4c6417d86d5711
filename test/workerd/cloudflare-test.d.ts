/**
 * The few functions of @cloudflare/vitest-plugin's `cloudflare:test` module these tests use, as
 * the plugin's `types/cloudflare-test.d.ts` declares them (that file needs workers-types globals).
 */
declare module 'cloudflare:test' {
  /** Tears the object down, keeping its storage: the next call constructs it again from storage. */
  export function evictDurableObject(stub: unknown, options?: { webSockets?: 'hibernate' | 'close' }): Promise<void>;
  /** Runs the object's alarm now if one is set; whether one ran. */
  export function runDurableObjectAlarm(stub: unknown): Promise<boolean>;
}
