import { describe, expect, it } from 'vitest';
import { perTick, TickClock } from '../../../src/services/tick-clock.ts';

function movableClock() {
  let now = 1_000;
  return { clock: { now: () => now }, advance: (ms: number) => (now += ms) };
}

describe('TickClock', () => {
  it('reads its clock once per synchronous run', () => {
    const { clock, advance } = movableClock();
    const tick = new TickClock(clock);
    expect(tick.now()).toBe(1_000);
    advance(5);
    expect(tick.now()).toBe(1_000);
  });

  it('never keeps a reading past the microtasks queued before it (no I/O or timer comes between)', async () => {
    const { clock, advance } = movableClock();
    const tick = new TickClock(clock);
    expect(tick.now()).toBe(1_000);
    advance(5);
    await Promise.resolve();
    expect(tick.now()).toBe(1_005);
    advance(5);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(tick.now()).toBe(1_010);
  });

  it('perTick gives one TickClock per clock passed', () => {
    const a = movableClock();
    const b = movableClock();
    b.advance(1);
    expect(perTick(a.clock)).toBe(perTick(a.clock));
    expect(perTick(a.clock).now()).toBe(1_000);
    expect(perTick(b.clock).now()).toBe(1_001);
  });
});
