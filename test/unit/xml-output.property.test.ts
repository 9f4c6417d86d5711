/**
 * Every cXML document erpfront writes is well-formed XML 1.0 and valid against the DTD it
 * declares, whatever the text in the fields it echoes (BuyerCookie, order ids and dates, item
 * texts from the ERP, carriers, status details): thousands of seeded random strings full of
 * control characters, lone surrogates, U+FFFE/U+FFFF, `]]>`, quotes and `<&`, checked by
 * xmllint against the fixtures' DTDs (one xmllint run over all the files).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuyerOrganisation } from '../../src/features/punchout/domain/buyer-organisation.ts';
import type { PunchOutSession } from '../../src/features/punchout/domain/session.ts';
import type { PricedCart } from '../../src/features/punchout/services/cart-pricing.ts';
import {
  confirmationRequest,
  invoiceDetailRequest,
  orderMessage,
  profileResponse,
  setupResponse,
  shipNoticeRequest,
} from '../../src/features/punchout/cxml/documents.ts';
import { responseDocument } from '../../src/features/punchout/cxml/envelope.ts';
import { child, parseXmlSafely, rawText } from '../../src/features/punchout/xml/safe-xml.ts';
import { FIXTURES, xmllintAvailable } from '../support/punchout.ts';

const hasXmllint = xmllintAvailable();
const CATALOG = join(FIXTURES, 'cxml/dtd/catalog.xml');
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function generator(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  ']]>',
  '"',
  "'",
  '<',
  '&',
  '>',
  '&amp;',
  '&#1;',
  '<![CDATA[',
  '-->',
  '\r\n',
  '\t',
  '\uFFFE',
  '\uFFFF',
  '\uFFFD',
  '\uD800',
  '\uDFFF',
  '\uDBFF\uDFFF',
  '😀',
  '\u0085',
  '\u2028',
  'é',
];

function randomText(random: () => number): string {
  const length = Math.floor(random() * 24);
  let out = '';
  for (let i = 0; i < length; i++) {
    const r = random();
    if (r < 0.3) out += PIECES[Math.floor(random() * PIECES.length)];
    else if (r < 0.5) out += String.fromCharCode(Math.floor(random() * 0x20));
    else if (r < 0.6) out += String.fromCharCode(0xd800 + Math.floor(random() * 0x800));
    else if (r < 0.7) out += String.fromCharCode(Math.floor(random() * 0x10000));
    else out += String.fromCharCode(0x20 + Math.floor(random() * 0x5f));
  }
  return out;
}

function documents(random: () => number): string[] {
  const t = () => randomText(random);
  const buyer: BuyerOrganisation = {
    id: 'b',
    name: t(),
    customerId: 'C0001',
    allowedReturnHosts: ['buyer.example'],
    unitMap: { EA: t() },
    cxml: {
      from: [{ domain: t(), identity: t() }],
      to: [{ domain: t(), identity: t() }],
      sender: [{ domain: t(), identity: t() }],
      sharedSecret: t(),
      version: '1.2.014',
      fulfillVersion: '1.2.050',
      formEncoding: 'cxml-urlencoded',
      deploymentMode: random() < 0.5 ? 'test' : 'production',
    },
  };
  const session: PunchOutSession = {
    id: t(),
    protocol: 'cxml',
    buyerId: 'b',
    customerId: 'C0001',
    operation: random() < 0.5 ? 'create' : 'inspect',
    state: 'active',
    buyerCookie: t(),
    returnUrl: 'http://buyer.example/r',
    returnFields: [],
    returnTarget: '_top',
    deploymentMode: buyer.cxml!.deploymentMode,
    user: t(),
    lines: [],
    createdAt: NOW,
    startExpiresAt: NOW,
    expiresAt: NOW,
  };
  const cart: PricedCart = {
    lines: Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
      sku: t(),
      quantity: 1 + Math.floor(random() * 100),
      name: t(),
      description: t(),
      unitOfMeasure: random() < 0.5 ? 'EA' : t(),
      unitPrice: { amount: t(), currency: t() },
      unspsc: random() < 0.5 ? null : t(),
      category: t(),
      leadTimeDays: random() < 0.5 ? null : Math.floor(random() * 30),
    })),
    total: { amount: t(), currency: t() },
    currency: 'USD',
  };
  const ref = { buyerOrderId: t(), orderDate: random() < 0.5 ? `${t()}Z` : t(), orderPayloadId: t(), erpOrderNumber: random() < 0.3 ? null : t() };
  const shipment = {
    id: t(),
    carrier: t(),
    trackingNumber: t(),
    shippedAt: '2026-11-28T10:00:00Z',
    lines: [
      { sku: t(), quantity: 2 },
      { sku: 'SKU-1', quantity: 1 },
    ],
  };
  return [
    orderMessage(buyer, session, cart, NOW),
    responseDocument([200, 400, 401, 409, 450, 500][Math.floor(random() * 6)]!, t(), { version: '1.2.014', now: NOW }),
    setupResponse(`https://shop.example/start?token=${encodeURIComponent(t().toWellFormed())}&x=${t()}`, '1.2.014', NOW),
    profileResponse(t(), NOW),
    confirmationRequest(buyer, ref, NOW),
    shipNoticeRequest(buyer, ref, shipment, new Map([['SKU-1', { lineNumber: 1, unit: t() }]]), NOW),
    invoiceDetailRequest(buyer, ref, invoice(t, random() < 0.5 ? 'INVOICE' : 'CREDIT_MEMO'), NOW),
  ];
}

/** An invoice whose every text field is random (amounts stay decimals, as the ERP port checks them). */
function invoice(t: () => string, kind: 'INVOICE' | 'CREDIT_MEMO') {
  return {
    number: t(),
    kind,
    customerId: t(),
    issuedAt: '2026-11-01',
    dueDate: '2026-12-01',
    total: kind === 'CREDIT_MEMO' ? '-12.50' : '1234.56',
    openAmount: '0.00',
    currency: t(),
    state: 'OPEN' as const,
    orderNumber: t(),
    orderExternalRef: t(),
    hasDocument: true,
  };
}

/** What a legal XML 1.0 string is: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
function legalXml(value: string): string {
  return value.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
}

describe('XML output, property-based', () => {
  it.skipIf(!hasXmllint)(
    '3,500 documents with random text in every echoed field are well-formed and DTD-valid (seed 20261129)',
    () => {
      const random = generator(20261129);
      const dir = mkdtempSync(join(tmpdir(), 'xml-property-'));
      const files: string[] = [];
      for (let i = 0; i < 500; i++) {
        documents(random).forEach((xml, k) => {
          const file = join(dir, `${i}-${k}.xml`);
          // As it goes on the wire: UTF-8 (a lone surrogate left in the string would become U+FFFD here and hide the bug).
          expect(xml).not.toMatch(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u);
          writeFileSync(file, xml);
          files.push(file);
        });
      }
      const run = spawnSync('xmllint', ['--noout', '--nonet', '--valid', ...files], {
        env: { ...process.env, XML_CATALOG_FILES: CATALOG },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(run.stderr.slice(0, 4000)).toBe('');
      expect(run.status).toBe(0);
    },
    120_000,
  );

  it('the BuyerCookie comes back as sent, with only the characters XML cannot carry replaced (U+FFFD)', () => {
    const random = generator(7);
    for (let i = 0; i < 1000; i++) {
      const cookie = randomText(random);
      const buyer = {
        id: 'b',
        name: 'b',
        customerId: 'C1',
        allowedReturnHosts: [],
        unitMap: {},
        cxml: {
          from: [{ domain: 'D', identity: 'i' }],
          to: [{ domain: 'D', identity: 'i' }],
          sender: [],
          sharedSecret: 's',
          version: '1.2.014',
          fulfillVersion: '1.2.050',
          formEncoding: 'cxml-urlencoded',
          deploymentMode: 'production',
        },
      } satisfies BuyerOrganisation;
      const session = {
        id: 'pos-x',
        protocol: 'cxml',
        buyerId: 'b',
        customerId: 'C1',
        operation: 'create',
        state: 'active',
        buyerCookie: cookie,
        returnUrl: '',
        returnFields: [],
        returnTarget: '_top',
        deploymentMode: 'production',
        user: null,
        lines: [],
        createdAt: 0,
        startExpiresAt: 0,
        expiresAt: 0,
      } satisfies PunchOutSession;
      const xml = orderMessage(buyer, session, { lines: [], total: { amount: '0.00', currency: 'USD' }, currency: 'USD' }, NOW);
      const echoed = rawText(child(child(child(parseXmlSafely(xml), 'Message'), 'PunchOutOrderMessage'), 'BuyerCookie'));
      expect({ i, echoed }).toEqual({ i, echoed: legalXml(cookie) });
    }
  });
});
