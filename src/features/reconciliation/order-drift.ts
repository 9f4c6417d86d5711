/**
 * How an order the ERP holds differs from what erpfront submitted: pure, the order and the ERP's
 * entries for its reference in, the drift out. What "missing" means (no entry at all) and what is
 * done about it is the reconciler's; this module compares what is there.
 *
 * - Lines are compared by SKU (an ERP may reorder lines or merge two of one SKU): a SKU on one side
 *   only, its total quantity, its unit price(s) and unit of measure, each as decimals (`2` and
 *   `2.0` agree).
 * - Totals agree within rounding: erpfront rounds the sum of the lines, an ERP may round each
 *   line first, so up to one minor unit per line apart is the same total. An ERP whose order total
 *   includes tax must give the connector its net total, or every order differs.
 * - More than one live (not cancelled) entry with the reference is a duplicate.
 *
 * @module
 */
import { Big, minorUnit } from '../../domain/money.ts';
import type { ErpOrder, ErpOrderLine } from '../../ports/erp-connector.ts';
import type { FindingDifference, FindingReport } from '../../ports/finding-store.ts';
import type { StoredOrder } from '../../ports/order-store.ts';

/** One kind of drift on the order, without who it belongs to (the reconciler adds that). */
export type Drift = Pick<FindingReport, 'kind' | 'erpOrderNumber' | 'detail' | 'differences'>;

/** The ERP's entry that stands for the order: the number erpfront recorded, else the oldest live one. */
export function standingEntry(order: StoredOrder, held: readonly ErpOrder[]): ErpOrder | null {
  return held.find((o) => o.number === order.erpOrderNumber) ?? held.find((o) => o.status !== 'CANCELLED') ?? held[0] ?? null;
}

/** Every drift between `order` and the ERP's entries for its reference (`held`, not empty). */
export function driftOf(order: StoredOrder, held: readonly ErpOrder[]): Drift[] {
  const drift: Drift[] = [];
  const entry = standingEntry(order, held);
  if (!entry) return drift;
  const lines = lineDifferences(order.request.lines, entry.lines);
  const totals = totalDifferences(order, entry);
  if (lines.length > 0) {
    const differences = [...lines, ...totals];
    drift.push({
      kind: 'LINES_DIFFER',
      erpOrderNumber: entry.number,
      differences,
      detail: `The ERP's order ${entry.number} has other lines than erpfront submitted: ${describeDifferences(differences)}.`,
    });
  } else if (totals.length > 0) {
    drift.push({
      kind: 'TOTAL_DIFFERS',
      erpOrderNumber: entry.number,
      differences: totals,
      detail: `The ERP's order ${entry.number} has the lines erpfront submitted but another total: ${describeDifferences(totals)}.`,
    });
  }
  const live = held.filter((o) => o.status !== 'CANCELLED');
  if (live.length > 1) {
    drift.push({
      kind: 'DUPLICATE_IN_ERP',
      erpOrderNumber: entry.number,
      differences: [{ field: 'erpOrders', sku: null, erpfront: '1', erp: String(live.length) }],
      detail: `The ERP holds ${live.length} live orders with reference ${order.id}: ${live.map((o) => `${o.number} (${o.status})`).join(', ')}. All but ${entry.number} must be cancelled in the ERP.`,
    });
  }
  return drift;
}

interface LineSum {
  quantity: Big;
  unitPrices: string[];
  units: string[];
}

/** The lines by SKU, in the order each SKU first appears. */
function bySku(lines: readonly ErpOrderLine[]): Map<string, LineSum> {
  const sums = new Map<string, LineSum>();
  for (const line of lines) {
    const sum = sums.get(line.sku) ?? { quantity: new Big(0), unitPrices: [], units: [] };
    sum.quantity = sum.quantity.plus(line.quantity);
    sum.unitPrices.push(new Big(line.unitPrice).toString());
    sum.units.push(line.unitOfMeasure);
    sums.set(line.sku, sum);
  }
  return sums;
}

const distinct = (values: readonly string[]) => [...new Set(values)].sort().join(', ');

function lineDifferences(submitted: readonly ErpOrderLine[], inErp: readonly ErpOrderLine[]): FindingDifference[] {
  const ours = bySku(submitted);
  const theirs = bySku(inErp);
  const differences: FindingDifference[] = [];
  const show = (sum: LineSum) => `${sum.quantity.toString()} ${distinct(sum.units)} at ${distinct(sum.unitPrices)}`;
  for (const [sku, mine] of ours) {
    const other = theirs.get(sku);
    if (!other) {
      differences.push({ field: 'line', sku, erpfront: show(mine), erp: null });
      continue;
    }
    if (!mine.quantity.eq(other.quantity)) differences.push({ field: 'quantity', sku, erpfront: mine.quantity.toString(), erp: other.quantity.toString() });
    if (distinct(mine.unitPrices) !== distinct(other.unitPrices))
      differences.push({ field: 'unitPrice', sku, erpfront: distinct(mine.unitPrices), erp: distinct(other.unitPrices) });
    if (distinct(mine.units) !== distinct(other.units))
      differences.push({ field: 'unitOfMeasure', sku, erpfront: distinct(mine.units), erp: distinct(other.units) });
  }
  for (const [sku, other] of theirs) if (!ours.has(sku)) differences.push({ field: 'line', sku, erpfront: null, erp: show(other) });
  return differences;
}

function totalDifferences(order: StoredOrder, entry: ErpOrder): FindingDifference[] {
  if (order.currency !== entry.currency) return [{ field: 'currency', sku: null, erpfront: order.currency, erp: entry.currency }];
  const tolerance = minorUnit(order.currency).times(Math.max(1, entry.lines.length, order.request.lines.length));
  const apart = new Big(order.total).minus(entry.total).abs();
  return apart.gt(tolerance) ? [{ field: 'total', sku: null, erpfront: `${order.total} ${order.currency}`, erp: `${entry.total} ${entry.currency}` }] : [];
}

/** The differences in a sentence: "SKU-00001 quantity 2 in erpfront, 5 in the ERP; ...". */
export function describeDifferences(differences: readonly FindingDifference[]): string {
  return differences
    .map((d) => {
      if (d.field === 'line') return d.erp === null ? `line ${d.sku} (${d.erpfront}) is missing in the ERP` : `line ${d.sku} (${d.erp}) is only in the ERP`;
      const what = d.sku ? `${d.sku} ${d.field}` : d.field;
      return `${what} ${d.erpfront} in erpfront, ${d.erp} in the ERP`;
    })
    .join('; ');
}
