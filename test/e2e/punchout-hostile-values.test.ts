/**
 * Values a buyer controls, as an attacker would send them: identities that forge log lines,
 * HOOK_URL parameters that shadow the cart's fields, and characters XML 1.0 cannot carry, which
 * must never make a document erpfront writes ill-formed or invalid against its DTD.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/orders.ts';
import {
  buyersFile,
  DEMO_OCI_BUYER,
  demoBuyer,
  demoRequest,
  postCxml,
  PRICES,
  readForm,
  redeem,
  RETURN_CART,
  SET_CART,
  setupRequest,
  startPageUrl,
  validateDtd,
  xmllintAvailable,
} from '../support/punchout.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
const hasXmllint = xmllintAvailable();

beforeAll(async () => {
  stack = await startStack({ PUNCHOUT_BUYERS_FILE: buyersFile([demoBuyer(), DEMO_OCI_BUYER]) });
});
afterAll(() => stack?.close());

/** About 100 KB that would forge log lines if written raw. */
const FORGING = ('X'.repeat(1000) + '\nerpfront: FORGED LOG LINE\r\n').repeat(100);

/** erpfront's log lines, once one containing `marker` has been flushed. */
function logLinesWith(marker: string): Promise<string[]> {
  return eventually(
    async () => stack.erpfront.output().split(/\r?\n|\r/),
    (lines) => lines.some((l) => l.includes(marker)),
    5000,
    50,
  );
}

describe('untrusted values in log lines', () => {
  it('an unknown cXML sender with a 100 KB identity full of newlines is logged as one short line', async () => {
    const xml = demoRequest(setupRequest('http://localhost/r')).replace('<Identity> AN-DEMO-BUYER </Identity>', `<Identity>${FORGING}</Identity>`);
    const answer = await postCxml(stack, xml);
    expect(answer.code).toBe(401);
    const lines = await logLinesWith('PunchOutSetupRequest');
    const refused = lines.filter((l) => /cXML "?PunchOutSetupRequest"? refused/.test(l));
    expect(refused).toHaveLength(1);
    expect(refused[0]!.length).toBeLessThan(600);
    expect(lines.some((l) => l.startsWith('erpfront: FORGED'))).toBe(false);
  });

  it('an OCI call-up with a 100 KB user name full of newlines is logged as one short line', async () => {
    const answer = await fetch(`${stack.erpfront.url}/punchout/oci`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ HOOK_URL: 'http://buyer.example/r', USERNAME: FORGING, PASSWORD: 'x' }),
    });
    expect(answer.status).toBe(401);
    const lines = await logLinesWith('OCI call-up refused');
    const refused = lines.filter((l) => l.includes('OCI call-up refused'));
    expect(refused).toHaveLength(1);
    expect(refused[0]!.length).toBeLessThan(600);
    expect(lines.some((l) => l.startsWith('erpfront: FORGED'))).toBe(false);
  });
});

describe("OCI: the buyer's HOOK_URL cannot shadow the cart", () => {
  it("NEW_ITEM-* parameters in HOOK_URL's query are dropped; its other parameters come back", async () => {
    const hook = 'http://buyer.example/oci_return?sap-client=100&NEW_ITEM-PRICE[1]=0.01&new_item-quantity[1]=999&NEW_ITEM-LONGTEXT_1:132[]=forged';
    const call = await fetch(`${stack.erpfront.url}/punchout/oci`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ HOOK_URL: hook, USERNAME: 'demo-oci', PASSWORD: 'demo-oci-password', '~OkCode': 'ADDI' }),
    });
    expect(call.status).toBe(303);
    const { accessToken: token } = (await redeem(stack, call.headers.get('location')!)).body;
    await stack.graphql(SET_CART, { lines: [{ sku: 'SKU-00001', quantity: 2 }] }, { token });
    const returned = (await stack.graphql(RETURN_CART, {}, { token })).body.data.returnPunchOutCart;
    const { fields } = readForm(returned.html);
    const price = (await stack.graphql(PRICES, { skus: ['SKU-00001'], q: 2 }, { token: await stack.buyerToken('C0002') })).body.data.products[0].price
      .unitPrice;

    const named = (name: string) => fields.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
    expect(named('NEW_ITEM-PRICE[1]')).toEqual([price.amount]);
    expect(named('NEW_ITEM-QUANTITY[1]')).toEqual(['2']);
    expect(named('NEW_ITEM-LONGTEXT_1:132[]')).toHaveLength(1);
    expect(named('NEW_ITEM-LONGTEXT_1:132[]')[0]).not.toBe('forged');
    expect(named('sap-client')).toEqual(['100']);
    expect(named('~OkCode')).toEqual(['ADDI']);
  });
});

describe('characters XML 1.0 cannot carry', () => {
  const ILLEGAL = 'a&#1;b&#x1F;c&#xFFFE;d&#xFFFF;e&#xD800;f&#xDFFF;g]]&gt;h&#13;i"\'&lt;&amp;';

  it('a BuyerCookie with control characters, U+FFFE and lone surrogates: the returned PunchOutOrderMessage is well-formed and DTD-valid', async () => {
    const xml = demoRequest(setupRequest('http://localhost/r', { cookie: 'COOKIE' }).replace('COOKIE', ILLEGAL));
    const setup = await postCxml(stack, xml);
    expect(setup.code).toBe(200);
    const { accessToken: token } = (await redeem(stack, startPageUrl(setup.body)!)).body;
    await stack.graphql(SET_CART, { lines: [{ sku: 'SKU-00001', quantity: 1 }] }, { token });
    const returned = (await stack.graphql(RETURN_CART, {}, { token })).body.data.returnPunchOutCart;
    expect(returned.userErrors).toEqual([]);
    const cxml = readForm(returned.html).fields.find(([name]) => name === 'cxml-urlencoded')![1];
    // The legal characters come back as sent (a carriage return too), the illegal ones are replaced.
    expect(cxml).toContain('<BuyerCookie>a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg]]&gt;h&#13;i"\'&lt;&amp;</BuyerCookie>');
    if (hasXmllint) expect(validateDtd(cxml)).toEqual({ valid: true, output: '' });
  });

  it("a refusal that quotes the buyer's value (deploymentMode) is still a well-formed, DTD-valid cXML Response", async () => {
    const xml = demoRequest(setupRequest('http://localhost/r')).replace('<Request>', '<Request deploymentMode="x&#1;&#xFFFF;&#xD800;">');
    const answer = await postCxml(stack, xml);
    expect(answer.code).toBe(400);
    expect(answer.body).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    if (hasXmllint) expect(validateDtd(answer.body)).toEqual({ valid: true, output: '' });
  });
});
