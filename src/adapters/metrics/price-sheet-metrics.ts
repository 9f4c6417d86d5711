/**
 * The price sheet's gauges (age, coverage, customers, items), defined in the app's Prometheus
 * registry; the sheet's figures are read once per scrape.
 *
 * @module
 */
import { Gauge, type Registry } from 'prom-client';
import type { PriceSheetReading } from '../../ports/metrics.ts';

/** The price sheet's gauges, from one reading per scrape; 0 while none is registered or it fails. */
export function priceSheetGauges(registry: Registry): (read: () => Promise<PriceSheetReading>) => void {
  let read: (() => Promise<PriceSheetReading>) | null = null;
  let reading: Promise<PriceSheetReading | null> | null = null;
  const current = () => {
    reading ??= (read ? read().catch(() => null) : Promise.resolve(null)).finally(() => setTimeout(() => (reading = null), 0));
    return reading;
  };
  const gauge = (name: string, help: string, pick: (r: PriceSheetReading) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const r = await current();
        this.set(r ? pick(r) : 0);
      },
    });
  gauge(
    'erpfront_price_sheet_age_seconds',
    'Age of the oldest price the price sheet holds for active customers (0 while it holds none).',
    (r) => r.ageSeconds ?? 0,
  );
  gauge(
    'erpfront_price_sheet_coverage_ratio',
    'Share of (active customer, item) pairs the price sheet can price while the ERP is down.',
    (r) => r.coverageRatio,
  );
  gauge('erpfront_price_sheet_customers', 'Active customers whose prices the price sheet keeps.', (r) => r.customers);
  gauge('erpfront_price_sheet_items', 'Items of the catalog the price sheet walks.', (r) => r.items);
  return (reader) => {
    read = reader;
  };
}
