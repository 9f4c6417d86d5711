/**
 * SAP OCI round trip over HTTP: call-up (HOOK_URL, USERNAME/PASSWORD, ~OkCode, ~TARGET, ~CALLER)
 * → 303 to the start URL → session → cart through GraphQL → the auto-submitting form of
 * `NEW_ITEM-*` fields, each within its OCI length, at the buyer's own prices. Also the cXML
 * base64 return form of a buyer configured for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OCI_FIELD_LENGTHS } from '../../src/features/punchout/oci/oci-fields.ts';
import {
  buyersFile,
  DEMO_OCI_BUYER,
  postCxml,
  PRICES,
  readForm,
  redeem,
  RETURN_CART,
  SET_CART,
  startPageUrl,
  validateDtd,
  xmllintAvailable,
} from '../support/punchout.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
const hasXmllint = xmllintAvailable();
const BASE64_BUYER = {
  id: 'b64',
  name: 'Base64 buyer',
  customerId: 'C0004',
  allowedReturnHosts: ['buyer.example'],
  cxml: {
    from: [{ domain: 'DUNS', identity: 'b64-buyer' }],
    to: [{ domain: 'DUNS', identity: 'erpfront' }],
    sender: [{ domain: 'DUNS', identity: 'b64-buyer' }],
    sharedSecret: 'b64-secret-1234567',
    formEncoding: 'cxml-base64',
  },
};

beforeAll(async () => {
  stack = await startStack({ PUNCHOUT_BUYERS_FILE: buyersFile([DEMO_OCI_BUYER, BASE64_BUYER]) });
});
afterAll(() => stack?.close());

function callUp(params: Record<string, string>, method: 'GET' | 'POST' = 'POST') {
  const url = `${stack.erpfront.url}/punchout/oci`;
  return method === 'GET'
    ? fetch(`${url}?${new URLSearchParams(params)}`, { redirect: 'manual' })
    : fetch(url, { method: 'POST', body: new URLSearchParams(params), redirect: 'manual' });
}

const HOOK = 'http://buyer.example/sap/bc/srm/oci_return?sap-client=100&~caller=CTLG';

describe('SAP OCI', () => {
  it("call-up → session → cart → NEW_ITEM-* form within the OCI field lengths, at the buyer's prices", async () => {
    const answer = await callUp({
      HOOK_URL: HOOK,
      USERNAME: 'demo-oci',
      PASSWORD: 'demo-oci-password',
      '~OkCode': 'ADDI',
      '~TARGET': '_top',
      '~CALLER': 'CTLG',
      OCI_VERSION: '4.0',
    });
    expect(answer.status).toBe(303);
    const redeemed = await redeem(stack, answer.headers.get('location')!);
    expect(redeemed.body.session).toMatchObject({ protocol: 'OCI', operation: 'CREATE', customerId: 'C0002' });
    const token = redeemed.body.accessToken;

    const skus = ['SKU-00001', 'SKU-00007', 'SKU-00042'];
    await stack.graphql(SET_CART, { lines: skus.map((sku, i) => ({ sku, quantity: i + 2 })) }, { token });
    const returned = (await stack.graphql(RETURN_CART, {}, { token })).body.data.returnPunchOutCart;
    expect(returned.userErrors).toEqual([]);
    const form = readForm(returned.html);
    expect(form.action).toBe('http://buyer.example/sap/bc/srm/oci_return');
    expect(form.target).toBe('_top');
    const fields = new Map(form.fields);
    // HOOK_URL's own query and the ~ fields come back as hidden fields.
    expect(fields.get('sap-client')).toBe('100');
    expect(fields.get('~OkCode')).toBe('ADDI');
    expect(fields.get('~caller')).toBe('CTLG');

    const buyerToken = await stack.buyerToken('C0002');
    for (const [i, sku] of skus.entries()) {
      const n = i + 1;
      const price = (await stack.graphql(PRICES, { skus: [sku], q: i + 2 }, { token: buyerToken })).body.data.products[0].price.unitPrice;
      expect(fields.get(`NEW_ITEM-VENDORMAT[${n}]`)).toBe(sku);
      expect(fields.get(`NEW_ITEM-QUANTITY[${n}]`)).toBe(String(i + 2));
      expect(fields.get(`NEW_ITEM-PRICE[${n}]`)).toBe(price.amount);
      expect(fields.get(`NEW_ITEM-CURRENCY[${n}]`)).toBe(price.currency);
      expect(fields.get(`NEW_ITEM-DESCRIPTION[${n}]`)).toBeTruthy();
      expect(fields.get(`NEW_ITEM-UNIT[${n}]`)).toMatch(/^[A-Z0-9]{2,3}$/);
      expect(fields.has(`NEW_ITEM-LONGTEXT_${n}:132[]`)).toBe(true);
    }
    for (const [name, value] of form.fields) {
      const field = /^NEW_ITEM-([A-Z_]+)\[\d+\]$/.exec(name)?.[1];
      if (field) expect({ name, length: [...value].length }).toEqual({ name, length: Math.min([...value].length, OCI_FIELD_LENGTHS[field]!) });
      if (name.startsWith('NEW_ITEM-')) expect(name).toMatch(/^NEW_ITEM-([A-Z_]+\[\d+\]|LONGTEXT_\d+:132\[\])$/);
    }
    // The session ended with the return.
    expect((await stack.graphql(RETURN_CART, {}, { token })).status).toBe(401);
  });

  it('a wrong password: 401, no session; a HOOK_URL host the buyer did not register: 400', async () => {
    const wrong = await callUp({ HOOK_URL: HOOK, USERNAME: 'demo-oci', PASSWORD: 'guess' }, 'GET');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('location')).toBeNull();
    const evil = await callUp({ HOOK_URL: 'https://evil.example/hook', USERNAME: 'demo-oci', PASSWORD: 'demo-oci-password' });
    expect(evil.status).toBe(400);
  });
});

describe('cXML return as base64', () => {
  it('carries the UTF-8 PunchOutOrderMessage, DTD-valid', async () => {
    const setup = `<?xml version="1.0"?><cXML payloadID="b64-1@buyer" timestamp="2026-01-01T00:00:00Z"><Header>
<From><Credential domain="DUNS"><Identity>b64-buyer</Identity></Credential></From><To><Credential domain="DUNS"><Identity>erpfront</Identity></Credential></To>
<Sender><Credential domain="DUNS"><Identity>b64-buyer</Identity><SharedSecret>b64-secret-1234567</SharedSecret></Credential><UserAgent>t</UserAgent></Sender></Header>
<Request><PunchOutSetupRequest operation="create"><BuyerCookie>b64</BuyerCookie><BrowserFormPost><URL>https://buyer.example/cart</URL></BrowserFormPost></PunchOutSetupRequest></Request></cXML>`;
    const answer = await postCxml(stack, setup);
    expect(answer.code).toBe(200);
    const { accessToken } = (await redeem(stack, startPageUrl(answer.body)!)).body;
    await stack.graphql(SET_CART, { lines: [{ sku: 'SKU-00005', quantity: 1 }] }, { token: accessToken });
    const returned = (await stack.graphql(RETURN_CART, {}, { token: accessToken })).body.data.returnPunchOutCart;
    const [[name, value]] = readForm(returned.html).fields as [[string, string]];
    expect(name).toBe('cxml-base64');
    const xml = Buffer.from(value, 'base64').toString('utf8');
    expect(xml).toContain('<BuyerCookie>b64</BuyerCookie>');
    expect(xml).toContain('<SupplierPartID>SKU-00005</SupplierPartID>');
    if (hasXmllint) expect(validateDtd(xml).output).toBe('');
  });
});
