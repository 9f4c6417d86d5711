/**
 * A customer's credit decisions take turns within a process, in arrival order, while other
 * customers' run beside them; one that never ends (its request cancelled mid-decision) holds the
 * next only `maxWaitMs`.
 */
import { describe, expect, it } from 'vitest';
import { creditLanes } from '../../../src/features/orders/services/credit-lanes.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('credit lanes', () => {
  it("runs one customer's decisions one at a time, in arrival order; another customer's beside them", async () => {
    const lanes = creditLanes({ maxWaitMs: 5000 });
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const decide = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      log.push(`${name} start`);
      await tick(5);
      log.push(`${name} end`);
      running--;
      return name;
    };
    const answers = await Promise.all([lanes.run('C1', decide('a')), lanes.run('C1', decide('b')), lanes.run('C1', decide('c'))]);
    expect(answers).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(most).toBe(1);

    const together = await Promise.all([lanes.run('C1', decide('d')), lanes.run('C2', decide('e'))]);
    expect(together).toEqual(['d', 'e']);
    expect(most).toBe(2);
  });

  it('a decision that fails lets the next one run, and fails on its own', async () => {
    const lanes = creditLanes({ maxWaitMs: 5000 });
    const failed = lanes.run('C1', async () => {
      throw new Error('store unavailable');
    });
    const next = lanes.run('C1', async () => 'next');
    await expect(failed).rejects.toThrow('store unavailable');
    await expect(next).resolves.toBe('next');
  });

  it('a decision that never ends holds the next one maxWaitMs, no longer', async () => {
    const lanes = creditLanes({ maxWaitMs: 100 });
    void lanes.run('C1', () => new Promise<never>(() => {}));
    const started = Date.now();
    await expect(lanes.run('C1', async () => 'went ahead')).resolves.toBe('went ahead');
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
