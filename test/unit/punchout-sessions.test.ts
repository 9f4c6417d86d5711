/**
 * PunchOut sessions over the in-memory store with a hand-moved clock: a start token works once
 * and only before it expires; the access token dies with the session; only hashes are stored.
 * Plus the safe XML reader on its own, and the credential rules for sloppy buyers.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryPunchOutStore } from '../../src/adapters/stores/memory/punchout-store.ts';
import { DEMO_BUYERS, parseBuyerOrganisations } from '../../src/features/punchout/buyer-organisations-config.ts';
import { BuyerDirectory } from '../../src/features/punchout/services/buyer-directory.ts';
import { PunchOutSessions, type SessionOpening } from '../../src/features/punchout/services/sessions.ts';
import { withPunchOutTokens } from '../../src/features/punchout/services/session-token-verifier.ts';
import { parseXmlSafely, XmlSafetyError } from '../../src/features/punchout/xml/safe-xml.ts';

const opening: SessionOpening = {
  protocol: 'cxml',
  buyerId: 'demo-buyer',
  customerId: 'C0001',
  operation: 'create',
  buyerCookie: 'c',
  returnUrl: 'http://localhost/r',
  returnFields: [],
  returnTarget: '_top',
  deploymentMode: 'production',
  user: null,
  lines: [],
};

function setup() {
  const clock = {
    t: 1_000_000,
    now() {
      return this.t;
    },
  };
  const store = createMemoryPunchOutStore();
  const sessions = new PunchOutSessions(store, clock, { startTtlMs: 60_000, sessionTtlMs: 600_000 });
  return { clock, store, sessions };
}

describe('PunchOut sessions', () => {
  it('a start token is redeemed once', async () => {
    const { sessions } = setup();
    const { startToken } = await sessions.open(opening);
    const first = await sessions.redeem(startToken);
    expect(first?.accessToken).toMatch(/^pos_/);
    expect(await sessions.redeem(startToken)).toBeNull();
  });

  it('an expired start token is refused', async () => {
    const { sessions, clock } = setup();
    const { startToken } = await sessions.open(opening);
    clock.t += 60_001;
    expect(await sessions.redeem(startToken)).toBeNull();
  });

  it('the access token works until the session expires or the cart went back', async () => {
    const { sessions, clock } = setup();
    const verify = withPunchOutTokens(async () => ({ problem: 'not a session token' }), sessions);
    const { accessToken } = (await sessions.redeem((await sessions.open(opening)).startToken))!;
    const ok = await verify(accessToken);
    expect('principal' in ok && ok.principal).toMatchObject({ customerId: 'C0001', roles: new Set(['punchout']) });
    clock.t += 660_001;
    expect(await verify(accessToken)).toEqual({ problem: expect.stringMatching(/ended or expired/) });

    const again = (await sessions.redeem((await sessions.open(opening)).startToken))!;
    await sessions.close(again.session);
    expect('problem' in (await verify(again.accessToken))).toBe(true);
  });
});

describe('buyer credentials', () => {
  const directory = new BuyerDirectory(DEMO_BUYERS);
  const header = (secret: string | null, domain = 'NetworkId') => ({
    from: [{ domain, identity: ' AN-DEMO-BUYER ' }],
    to: [{ domain: 'duns', identity: 'erpfront-demo' }],
    sender: [{ domain: 'networkid', identity: 'AN-DEMO-BUYER' }],
    sharedSecret: secret,
  });

  it('domains in any case and padded identities match; the secret must be exact', async () => {
    expect('buyer' in (await directory.authenticateCxml(header('demo-shared-secret')))).toBe(true);
    expect(await directory.authenticateCxml(header('demo-shared-secreT'))).toEqual({ failure: 'WRONG_SECRET' });
    expect(await directory.authenticateCxml(header('demo-shared-secret '))).toEqual({ failure: 'WRONG_SECRET' });
    expect(await directory.authenticateCxml(header(null))).toEqual({ failure: 'NO_SECRET' });
    expect(await directory.authenticateCxml(header('demo-shared-secret', 'DUNS'))).toEqual({ failure: 'UNKNOWN_BUYER' });
  });

  it('a broken buyers file is refused at start with every problem, never echoing a secret', () => {
    expect(() =>
      parseBuyerOrganisations(
        JSON.stringify([
          {
            id: 'x y',
            customerId: '',
            allowedReturnHosts: ['https://a'],
            cxml: { from: [], to: [], sender: [], sharedSecret: 'sup3r-s3cret-value', version: '2.0' },
          },
        ]),
      ),
    ).toThrow(/\[0\.id\][\s\S]*\[0\.customerId\][\s\S]*allowedReturnHosts[\s\S]*cxml\.from[\s\S]*cxml\.version/);
    try {
      parseBuyerOrganisations('[{"id":"a","name":"a","customerId":"C1","allowedReturnHosts":["a"],"cxml":{"sharedSecret":"sup3r-s3cret-value"}}]');
    } catch (error) {
      expect((error as Error).message).not.toContain('sup3r-s3cret-value');
    }
  });
});

describe('the safe XML reader', () => {
  it('refuses entity declarations and internal subsets before parsing', () => {
    const laughs = `<!DOCTYPE cXML [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 20 }, (_, i) => `<!ENTITY b${i} "${'&a;'.repeat(10)}">`).join('')}]><cXML>&b19;</cXML>`;
    const started = performance.now();
    expect(() => parseXmlSafely(laughs)).toThrow(XmlSafetyError);
    // Expanded, this document is 10^21 characters: any expansion at all would take far longer.
    expect(performance.now() - started).toBeLessThan(500);
    expect(() => parseXmlSafely('<!DOCTYPE cXML SYSTEM "x" [ ]><cXML/>')).toThrow(/internal subset/);
  });

  it('leaves unknown entity references undecoded and decodes the predefined ones', () => {
    const root = parseXmlSafely('<a b="&amp;&#x41;">&xxe; &lt;&#66;<![CDATA[&amp;]]></a>');
    expect(root.attributes.b).toBe('&A');
    expect(root.children.join('')).toBe('&xxe; <B&amp;');
  });
});
