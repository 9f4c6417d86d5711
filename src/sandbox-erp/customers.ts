/**
 * The sandbox's customer accounts (`C0001`..`C0200`) and sales reps (`R01`..`R10`).
 *
 * @module
 */
import type { Address, CustomerAccount, PaymentTerms, SalesRep } from '../ports/erp-connector.ts';
import { centsToDecimal, key, rng, type Rng } from './prng.ts';

export const CUSTOMER_COUNT = 200;
export const REP_COUNT = 10;

/** The payment terms the sandbox knows, by code. */
export const TERMS: Readonly<Record<string, PaymentTerms>> = {
  NET15: { code: 'NET15', description: 'Net 15 days', netDays: 15 },
  NET30: { code: 'NET30', description: 'Net 30 days', netDays: 30 },
  NET45: { code: 'NET45', description: 'Net 45 days', netDays: 45 },
  NET60: { code: 'NET60', description: 'Net 60 days', netDays: 60 },
  '2/10 NET30': { code: '2/10 NET30', description: '2% discount within 10 days, net 30 days', netDays: 30 },
  PREPAID: { code: 'PREPAID', description: 'Payment before shipment', netDays: 0 },
};

const HOLD_REASONS = ['Invoices more than 60 days past due', 'Credit limit exceeded', 'Returned payment (NSF)', 'Account under review by credit control'];

const NAME_FIRST = [
  'Apex',
  'Summit',
  'Northwind',
  'Bluewater',
  'Ironwood',
  'Keystone',
  'Pioneer',
  'Redline',
  'Granite',
  'Harbor',
  'Cascade',
  'Frontier',
  'Lakeside',
  'Meridian',
  'Prairie',
  'Riverside',
  'Sterling',
  'Tri-County',
  'Valley',
  'Westgate',
  'Eagle',
  'Falcon',
  'Liberty',
  'Patriot',
  'Benchmark',
  'Cornerstone',
  'Evergreen',
  'Highland',
  'Midwest',
  'Coastal',
];
const NAME_TRADE = [
  'Fabrication',
  'Manufacturing',
  'Mechanical',
  'Electric',
  'Builders',
  'Industrial Supply',
  'Plumbing & Heating',
  'Machine Works',
  'Contractors',
  'Facilities Services',
  'Packaging',
  'Maintenance',
  'Automation',
  'Welding',
];
const US_FORMS = ['Inc.', 'LLC', 'Corp.', 'Co.'];
const EU_FORMS = ['GmbH', 'B.V.', 'S.A.S.', 'S.r.l.', 'GmbH & Co. KG'];

const US_CITIES: ReadonlyArray<readonly [string, string, string]> = [
  ['Chicago', 'IL', '606'],
  ['Houston', 'TX', '770'],
  ['Columbus', 'OH', '432'],
  ['Charlotte', 'NC', '282'],
  ['Indianapolis', 'IN', '462'],
  ['Milwaukee', 'WI', '532'],
  ['Denver', 'CO', '802'],
  ['Atlanta', 'GA', '303'],
  ['Detroit', 'MI', '482'],
  ['Nashville', 'TN', '372'],
  ['Phoenix', 'AZ', '850'],
  ['Pittsburgh', 'PA', '152'],
  ['Kansas City', 'MO', '641'],
  ['Louisville', 'KY', '402'],
  ['Sacramento', 'CA', '958'],
  ['Portland', 'OR', '972'],
];
const EU_CITIES: ReadonlyArray<readonly [string, string, string]> = [
  ['Stuttgart', 'DE', '70173'],
  ['Düsseldorf', 'DE', '40210'],
  ['Rotterdam', 'NL', '3011 AA'],
  ['Eindhoven', 'NL', '5611 AB'],
  ['Lyon', 'FR', '69002'],
  ['Milano', 'IT', '20121'],
  ['Antwerpen', 'BE', '2000'],
  ['Linz', 'AT', '4020'],
];
const STREETS = ['Industrial Pkwy', 'Commerce Dr', 'Enterprise Blvd', 'Factory Rd', 'Logistics Way', 'Mill St', 'Depot Ave'];
const EU_STREETS = ['Industriestraße', 'Havenweg', 'Rue de l’Industrie', 'Via dell’Artigianato', 'Gewerbepark'];
const SITE_NAMES = ['Plant 2', 'Receiving dock B', 'Job site', 'Service depot', 'North yard'];

const REP_NAMES = [
  'Maria Alvarez',
  'James Chen',
  'Priya Natarajan',
  'Tom Becker',
  'Aisha Okafor',
  'Lukas Meyer',
  'Hannah Brooks',
  'Diego Romero',
  'Sofia Rossi',
  'Kevin O’Neill',
];

/**
 * Customers pinned so tests and demos can rely on them. C0001 and C0002 are both USD and on
 * different price lists; only C0001 has contract prices. R01 has C0001 and C0003, not C0002.
 * Every customer's primary contact is its purchasing mailbox (C0001's
 * `purchasing@acme-fabrication.example`, see {@link contactFor}) but C0007's: it has none on file.
 */
const PINNED: Readonly<Record<string, Partial<CustomerAccount> & { rep?: string }>> = {
  C0001: { name: 'Acme Fabrication Inc.', currency: 'USD', priceListId: 'PL-CONTRACTOR', hasContractPrices: true, poRequired: false, rep: 'R01' },
  C0002: { name: 'Globex Industrial Supply LLC', currency: 'USD', priceListId: 'PL-OEM', hasContractPrices: false, poRequired: false, rep: 'R02' },
  C0003: { name: 'Initech Facilities Corp.', currency: 'USD', priceListId: 'PL-RETAIL', hasContractPrices: false, poRequired: true, rep: 'R01' },
  C0004: { name: 'Hooli Mechanical LLC', currency: 'USD', priceListId: 'PL-CONTRACTOR', hasContractPrices: false, rep: 'R02' },
  C0005: { name: 'Vandelay Industries Inc.', currency: 'USD', priceListId: 'PL-DISTRIBUTOR', hasContractPrices: true, rep: 'R03' },
  C0006: { name: 'Stahlwerk Nord GmbH', currency: 'EUR', priceListId: 'PL-EU-TRADE', hasContractPrices: true, poRequired: true, rep: 'R06' },
  C0007: { name: 'Bluth Builders Co.', currency: 'USD', priceListId: null, hasContractPrices: false, rep: 'R03', primaryContact: null },
};

/** Legal forms dropped from a company's name to make its e-mail domain. */
const FORMS = new RegExp(`\\s(${[...US_FORMS, ...EU_FORMS].map((f) => f.replace(/[.&]/g, '\\$&')).join('|')})$`);

/**
 * The purchasing mailbox at the company's own domain (`Acme Fabrication Inc.` →
 * `purchasing@acme-fabrication.example`): derived from the name, not drawn, so adding it changed
 * no other generated value.
 */
function contactFor(name: string): string {
  const domain = name
    .replace(FORMS, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `purchasing@${domain}.example`;
}

export interface CustomerData {
  customers: CustomerAccount[];
  reps: SalesRep[];
}

/** Builds customers and reps for a seed. */
export function generateCustomers(seed: number): CustomerData {
  const names = uniqueNames(seed);
  const repOf = new Map<string, string | null>();
  const customers: CustomerAccount[] = [];
  for (let n = 1; n <= CUSTOMER_COUNT; n++) {
    const id = key('C', n, 4);
    const draw = rng(seed, 'customer', n);
    const pinned = PINNED[id] ?? {};
    const currency = pinned.currency ?? (draw.chance(0.12) ? 'EUR' : 'USD');
    const eu = currency === 'EUR';
    const form = draw.pick(eu ? EU_FORMS : US_FORMS);
    const account: CustomerAccount = {
      id,
      name: pinned.name ?? `${names[n - 1]} ${form}`,
      currency,
      priceListId: 'priceListId' in pinned ? (pinned.priceListId ?? null) : priceListFor(draw, eu),
      hasContractPrices: pinned.hasContractPrices ?? draw.chance(0.2),
      paymentTerms: termsFor(draw, id),
      poRequired: pinned.poRequired ?? draw.chance(0.25),
      shipTos: shipTosFor(draw, id, eu),
      credit: { limit: '0.00', balance: '0.00', openOrders: '0.00', onHold: false, holdReason: null },
      primaryContact: null,
    };
    account.primaryContact = 'primaryContact' in pinned ? (pinned.primaryContact ?? null) : contactFor(account.name);
    account.credit = creditFor(draw, id, account.paymentTerms.code);
    customers.push(account);
    repOf.set(id, pinned.rep ?? (draw.chance(0.05) ? null : key('R', draw.int(1, REP_COUNT), 2)));
  }
  const reps: SalesRep[] = REP_NAMES.slice(0, REP_COUNT).map((name, i) => {
    const id = key('R', i + 1, 2);
    return { id, name, customerIds: customers.filter((c) => repOf.get(c.id) === id).map((c) => c.id) };
  });
  return { customers, reps };
}

function uniqueNames(seed: number): string[] {
  const all = NAME_FIRST.flatMap((first) => NAME_TRADE.map((trade) => `${first} ${trade}`));
  return rng(seed, 'customer-names').shuffle(all).slice(0, CUSTOMER_COUNT);
}

function priceListFor(draw: Rng, eu: boolean): string | null {
  const roll = draw.next();
  if (eu) return roll < 0.75 ? 'PL-EU-TRADE' : null;
  if (roll < 0.3) return 'PL-CONTRACTOR';
  if (roll < 0.5) return 'PL-OEM';
  if (roll < 0.7) return 'PL-RETAIL';
  if (roll < 0.85) return 'PL-DISTRIBUTOR';
  return null;
}

function termsFor(draw: Rng, id: string): PaymentTerms {
  const pinned: Record<string, string> = {
    C0001: 'NET30',
    C0002: '2/10 NET30',
    C0003: 'NET45',
    C0004: 'NET30',
    C0005: 'NET45',
    C0006: 'NET60',
    C0007: 'PREPAID',
  };
  const code = pinned[id] ?? draw.pick(['NET30', 'NET30', 'NET30', 'NET45', 'NET60', '2/10 NET30', 'NET15', 'PREPAID']);
  return { ...(TERMS[code] as PaymentTerms) };
}

function creditFor(draw: Rng, id: string, terms: string): CustomerAccount['credit'] {
  if (terms === 'PREPAID') return { limit: '0.00', balance: '0.00', openOrders: '0.00', onHold: false, holdReason: null };
  const limitCents = draw.pick([5_000, 10_000, 15_000, 25_000, 50_000, 75_000, 100_000, 250_000]) * 100;
  let balance = Math.round(limitCents * draw.float(0, 0.6));
  let openOrders = Math.round(limitCents * draw.float(0, 0.25));
  let holdReason: string | null = id === 'C0004' ? (HOLD_REASONS[0] as string) : null;
  if (!holdReason && id > 'C0007' && draw.chance(0.06)) holdReason = draw.pick(HOLD_REASONS);
  if (holdReason === 'Credit limit exceeded') balance = Math.round(limitCents * draw.float(0.9, 1.1));
  if (holdReason === 'Credit limit exceeded') openOrders = Math.round(limitCents * draw.float(0.1, 0.2));
  // C0005 sits just under its limit: the next sizeable order goes to credit review.
  if (id === 'C0005') {
    balance = Math.round(limitCents * 0.8);
    openOrders = Math.round(limitCents * 0.16);
  }
  return {
    limit: centsToDecimal(limitCents),
    balance: centsToDecimal(balance),
    openOrders: centsToDecimal(openOrders),
    onHold: holdReason !== null,
    holdReason,
  };
}

function shipTosFor(draw: Rng, id: string, eu: boolean): Address[] {
  const count = id === 'C0001' ? 2 : draw.int(1, 3);
  const defaultAt = draw.int(0, count - 1);
  const addresses: Address[] = [];
  for (let i = 0; i < count; i++) {
    const [city, regionOrCountry, postal] = draw.pick(eu ? EU_CITIES : US_CITIES);
    const number = draw.int(10, 9800);
    addresses.push({
      id: `${id}-ST${i + 1}`,
      name: i === 0 ? draw.pick(['Main warehouse', 'Head office', 'Plant 1']) : (SITE_NAMES[i - 1] as string),
      line1: eu ? `${draw.pick(EU_STREETS)} ${number % 200}` : `${number} ${draw.pick(STREETS)}`,
      line2: draw.chance(0.3) ? draw.pick(['Dock 3', 'Suite 200', 'Building C', 'Gate 2']) : null,
      city,
      region: eu ? null : regionOrCountry,
      postalCode: eu ? postal : `${postal}${String(draw.int(1, 99)).padStart(2, '0')}`,
      country: eu ? regionOrCountry : 'US',
      isDefault: i === defaultAt,
    });
  }
  return addresses;
}
