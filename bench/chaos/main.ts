/**
 * `npm run chaos -- [--mode redis|embedded|tryton] [--seed N] [--orders N] [--instances N] [--clients N] [--rate orders/s] [--out report.json] [--quiet]`
 *
 * Runs one fault campaign and prints its report; exits 1 on any violated invariant. Without
 * `--seed` a random seed is drawn and printed: pass it again to replay the same fault schedule.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runCampaign } from './campaign.ts';
import { formatReport } from './report.ts';
import type { Mode } from './topology.ts';

const MODES: Mode[] = ['redis', 'embedded', 'tryton'];
const DEFAULT_ORDERS: Record<Mode, number> = { redis: 1000, embedded: 300, tryton: 30 };

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name}: expected a whole number ≥ 1, got "${value}"`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'redis' },
    seed: { type: 'string' },
    orders: { type: 'string' },
    instances: { type: 'string' },
    clients: { type: 'string' },
    rate: { type: 'string' },
    out: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const mode = values.mode as Mode;
if (!MODES.includes(mode)) {
  console.error(`--mode: expected one of ${MODES.join(', ')}, got "${values.mode}"`);
  process.exit(2);
}
if (mode === 'tryton') {
  const { trytonAvailable } = await import('../../test/support/tryton.ts');
  if (!trytonAvailable('the Tryton fault campaign')) process.exit(0);
}
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isInteger(seed) || seed < 0) {
  console.error(`--seed: expected a whole number ≥ 0, got "${values.seed}"`);
  process.exit(2);
}
console.log(`fault campaign, seed ${seed}`);
const report = await runCampaign({
  mode,
  seed,
  orders: positive('orders', values.orders) ?? DEFAULT_ORDERS[mode],
  instances: positive('instances', values.instances),
  clients: positive('clients', values.clients),
  rate: positive('rate', values.rate),
  log: values.quiet ? undefined : (line) => console.log(`  ${line}`),
});
console.log(formatReport(report));
if (values.out) {
  writeFileSync(values.out, JSON.stringify(report, null, 1));
  console.log(`report and every order's answers written to ${values.out}`);
}
process.exit(report.ok ? 0 : 1);
