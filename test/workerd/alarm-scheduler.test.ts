/**
 * Jobs on a Durable Object's alarm, inside workerd (the probe object of test/workerd/worker.ts):
 * every job's first tick at once, the alarm set for the soonest next one, `runNow` bringing a job
 * forward, a failing tick retried after its interval, and the alarm surviving the object's
 * eviction (nothing but the alarm wakes it).
 */
import { env } from 'cloudflare:workers';
import type { DurableObjectNamespace } from 'cloudflare:workers';
import { evictDurableObject, runDurableObjectAlarm } from 'cloudflare:test';
import { expect, it } from 'vitest';

interface Probe {
  ticks(): Promise<Record<string, number>>;
  set(name: string, value: number): Promise<void>;
  runCountNow(): Promise<void>;
  nextAlarm(): Promise<number | null>;
}

const namespace = env.SCHEDULER_PROBE as DurableObjectNamespace;
const probe = () => namespace.get(namespace.idFromName(crypto.randomUUID())) as Probe;

it("runs every job's first tick on the first alarm, then sets the alarm for the soonest next tick, no sooner than its floor", async () => {
  const object = probe();
  const before = Date.now();
  expect(await object.ticks()).toEqual({});
  expect(await object.nextAlarm()).toBeLessThanOrEqual(Date.now());
  expect(await runDurableObjectAlarm(object)).toBe(true);
  expect(await object.ticks()).toEqual({ count: 1, eager: 1, flaky: 1, backlog: 1 });
  // `eager` asked for 100 ms: it gets the 30 s floor.
  const next = (await object.nextAlarm())!;
  expect(next - before).toBeGreaterThanOrEqual(29_000);
  expect(next - before).toBeLessThan(31_000);
  // runNow brings `count` forward, alone, and past the floor: the others are not due yet.
  await object.runCountNow();
  expect(await object.nextAlarm()).toBeLessThanOrEqual(Date.now());
  expect(await runDurableObjectAlarm(object)).toBe(true);
  expect(await object.ticks()).toEqual({ count: 2, eager: 1, flaky: 1, backlog: 1 });
});

it('a job with work left runs again at once; one that throws runs again after its interval', async () => {
  const object = probe();
  await object.set('backlog', 3);
  await object.set('fail', 1);
  await runDurableObjectAlarm(object);
  // backlog: 3 left before the first tick, 2 after: due again now.
  expect(await object.nextAlarm()).toBeLessThanOrEqual(Date.now());
  await runDurableObjectAlarm(object);
  await runDurableObjectAlarm(object);
  expect(await object.ticks()).toEqual({ count: 1, eager: 1, flaky: 1, backlog: 3 });
  // Backlog done, flaky failed (due in two minutes): nothing due before eager's floor.
  expect((await object.nextAlarm())! - Date.now()).toBeGreaterThan(25_000);
});

it('the alarm outlives the object: evicted, it is built again by its alarm alone and runs its jobs', async () => {
  const object = probe();
  await runDurableObjectAlarm(object);
  await object.runCountNow();
  await evictDurableObject(object);
  // No call reaches the object before its alarm: the alarm builds it again and runs what is due.
  expect(await runDurableObjectAlarm(object)).toBe(true);
  const ticks = await object.ticks();
  expect(ticks.count).toBeGreaterThanOrEqual(2);
});
