/**
 * Who the load shedder refuses first: the caller sending more than the average caller, as soon as
 * it starts, and only while it does; memory stays bounded whatever the number of callers.
 */
import { describe, expect, it } from 'vitest';
import { CallerWeights } from '../../src/transport/http/caller-weights.ts';

function clocked() {
  let now = 0;
  return { weights: new CallerWeights({ windowMs: 1000, maxCallers: 100, now: () => now }), advance: (ms: number) => (now += ms) };
}

describe('CallerWeights', () => {
  it('a flooding caller is heavy within its first window; the buyer beside it is not', () => {
    const { weights } = clocked();
    for (let i = 0; i < 5; i++) weights.count('buyer', 1);
    for (let i = 0; i < 500; i++) weights.count('flood', 1);
    expect(weights.heavy('flood')).toBe(true);
    expect(weights.heavy('buyer')).toBe(false);
  });

  it('a caller alone is heavy once it sends enough; a few requests are never heavy', () => {
    const { weights } = clocked();
    for (let i = 0; i < 3; i++) weights.count('alone', 1);
    expect(weights.heavy('alone')).toBe(false);
    for (let i = 0; i < 20; i++) weights.count('alone', 1);
    expect(weights.heavy('alone')).toBe(true);
  });

  it('the last full window counts at the start of the next; a quiet spell forgets it', () => {
    const { weights, advance } = clocked();
    for (let i = 0; i < 500; i++) weights.count('flood', 1);
    weights.count('buyer', 1);
    advance(1000);
    weights.count('flood', 1);
    weights.count('buyer', 1);
    expect(weights.heavy('flood')).toBe(true);
    expect(weights.heavy('buyer')).toBe(false);
    advance(2500);
    weights.count('flood', 1);
    expect(weights.heavy('flood')).toBe(false);
  });

  it('tells a caller sending side by side (several in one turn) from one sending after each answer', () => {
    const { weights, advance } = clocked();
    for (let turn = 1; turn <= 20; turn++) weights.count('one-by-one', turn);
    for (let turn = 1; turn <= 20; turn++) for (let i = 0; i < 5; i++) weights.count('flood', turn);
    expect(weights.sideBySide('one-by-one')).toBe(false);
    expect(weights.sideBySide('flood')).toBe(true);
    // The first request of a turn, too: the turn before had several.
    weights.count('flood', 21);
    expect(weights.sideBySide('flood')).toBe(true);
    for (let i = 0; i < 4; i++) weights.count('flood', 21);
    // And across a window's end.
    advance(1000);
    weights.count('flood', 22);
    expect(weights.sideBySide('flood')).toBe(true);
    expect(weights.sideBySide('stranger')).toBe(false);
  });

  it('counts at most maxCallers per window; callers past them are heavy', () => {
    const { weights } = clocked();
    for (let i = 0; i < 100; i++) weights.count(`token-${i}`, 1);
    weights.count('one-more', 1);
    expect(weights.heavy('one-more')).toBe(true);
    expect(weights.heavy('token-1')).toBe(false);
  });
});
