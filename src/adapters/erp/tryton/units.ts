/**
 * Units of measure: Tryton names them by symbol (`u`, `kg`, `m`), erpfront by UN/CEFACT-style
 * code (`EA`, `KGM`, `MTR`). The table covers the units Tryton 6.0's `product` module ships; a
 * unit outside it is passed on upper-cased (`box` → `BOX`), so it still round-trips.
 *
 * @module
 */

const CODE_BY_SYMBOL: Readonly<Record<string, string>> = {
  u: 'EA',
  kg: 'KGM',
  g: 'GRM',
  c: 'CGM',
  lb: 'LBR',
  oz: 'ONZ',
  s: 'SEC',
  min: 'MIN',
  h: 'HUR',
  wd: 'WD',
  d: 'DAY',
  m: 'MTR',
  km: 'KMT',
  cm: 'CMT',
  mm: 'MMT',
  ft: 'FOT',
  yd: 'YRD',
  in: 'INH',
  mi: 'SMI',
  'm³': 'MTQ',
  l: 'LTR',
  'cm³': 'CMQ',
  'in³': 'INQ',
  'ft³': 'FTQ',
  gal: 'GLL',
  'm²': 'MTK',
  'cm²': 'CMK',
  a: 'ARE',
  ha: 'HAR',
  'in²': 'INK',
  'ft²': 'FTK',
  'yd²': 'YDK',
};

/** erpfront's unit code for a Tryton unit symbol. */
export function unitCode(symbol: string): string {
  return CODE_BY_SYMBOL[symbol] ?? symbol.toUpperCase();
}
