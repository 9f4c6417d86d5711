/**
 * The nemesis' schedule is the seed's: a failing seed replays the same faults.
 */
import { describe, expect, it } from 'vitest';
import { faultSchedule, type FaultEvent, type NemesisPlan } from '../../../bench/chaos/nemesis.ts';

const plan: NemesisPlan = { instances: 3, redis: true, sandboxFaults: true, erpTimeoutMs: 800, erpMaxRequestMs: 3000, gapMs: [300, 2500] };

function take(seed: number, count: number, p: NemesisPlan = plan): FaultEvent[] {
  const events: FaultEvent[] = [];
  for (const event of faultSchedule(seed, p)) {
    events.push(event);
    if (events.length === count) break;
  }
  return events;
}

describe('fault schedule', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(take(7, 200)).toEqual(take(7, 200));
    expect(take(7, 50)).not.toEqual(take(8, 50));
  });

  it('draws every kind, victims among the instances, and slow commits between the timeout and the ERP limit', () => {
    const events = take(1, 500);
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['outage', 'lostReplies', 'slowCommit', 'killInstance', 'redisRestart']));
    for (const e of events.filter((x) => x.kind === 'slowCommit')) {
      expect(e.value).toBeGreaterThan(800);
      expect(e.value).toBeLessThan(3000);
    }
    expect(new Set(events.filter((e) => e.kind === 'killInstance').map((e) => e.value))).toEqual(new Set([0, 1, 2]));
    expect(new Set(events.filter((e) => e.kind === 'redisRestart').map((e) => e.signal))).toEqual(new Set(['SIGTERM', 'SIGKILL']));
  });

  it('never faults a resource again before it has recovered', () => {
    const lastEnd = new Map<string, number>();
    for (const e of take(3, 500)) {
      const resource = e.kind === 'killInstance' ? 'instances' : e.kind;
      expect(e.at).toBeGreaterThanOrEqual(lastEnd.get(resource) ?? 0);
      lastEnd.set(resource, e.at + e.durationMs);
    }
  });

  it('leaves out what the system lacks: no Redis restarts without Redis, no sandbox faults on Tryton', () => {
    const kinds = new Set(take(5, 300, { ...plan, redis: false, sandboxFaults: false }).map((e) => e.kind));
    expect(kinds).toEqual(new Set(['outage', 'killInstance']));
  });
});
