/**
 * The fault campaign's short seeded runs (issue 9; `npm run chaos` runs it at any size and seed):
 * orders from 20 concurrent clients that retry with the same key on every transient answer,
 * while a seeded nemesis injects ERP outages, lost replies, order entry slower than erpfront's
 * timeout but within the ERP's own limit (the ERP commits after erpfront gave up), `kill -9` of
 * instances and Redis restarts. Afterwards every invariant is checked against the ERP's own list.
 *
 * A failure prints the report, with the command that replays the same fault schedule.
 */
import { describe, expect, it } from 'vitest';
import { runCampaign, type CampaignOptions } from '../../bench/chaos/campaign.ts';
import { formatReport } from '../../bench/chaos/report.ts';
import { redisServerAvailable } from '../support/redis.ts';

async function campaign(options: CampaignOptions) {
  const report = await runCampaign(options);
  console.log(formatReport(report));
  // Each invariant by name, with what broke it: a failure shows the orders and ERP numbers.
  const broken = Object.fromEntries(report.invariants.map((i) => [i.name, i.violations]));
  expect(broken).toEqual(Object.fromEntries(report.invariants.map((i) => [i.name, []])));
  expect(report.nemesisErrors).toEqual([]);
  expect(Object.values(report.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
  return report;
}

describe.skipIf(!redisServerAvailable('chaos (redis mode)'))('fault campaign: three instances on one Redis', () => {
  it('200 orders under outages, lost replies, slow commits, kill -9 and Redis restarts: each acknowledged order in the ERP exactly once, nothing stuck', async () => {
    const report = await campaign({ mode: 'redis', seed: 1, orders: 200, rate: 3 });
    expect(report.faults.killInstance).toBeGreaterThan(0);
    expect((report.faults['redisRestart SIGTERM'] ?? 0) + (report.faults['redisRestart SIGKILL'] ?? 0)).toBeGreaterThan(0);
  }, 240_000);
});

describe('fault campaign: one embedded instance (SQLite)', () => {
  it('100 orders under outages, lost replies, slow commits and kill -9 with a restart on the same DATA_DIR: each acknowledged order in the ERP exactly once, nothing stuck', async () => {
    const report = await campaign({ mode: 'embedded', seed: 2, orders: 100, rate: 2.5 });
    expect(report.faults.killInstance).toBeGreaterThan(0);
  }, 150_000);
});
