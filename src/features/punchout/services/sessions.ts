/**
 * PunchOut sessions without cookies: the setup request (cXML) or call-up (OCI) opens a session
 * and gets a one-time start token for the storefront's start URL; the storefront redeems it,
 * once and within minutes, for a session access token (`pos_…`) that it sends as a bearer token to
 * `/graphql`. That token is not a JWT: it is looked up in the store, so it works beside any token
 * issuer (HS256 or an identity provider's JWKS), and it dies with the session — when the cart
 * goes back, or when the session expires.
 *
 * Only SHA-256 hashes of tokens are stored: a leaked store holds no usable token.
 *
 * @module
 */
import type { Principal } from '../../../domain/principal.ts';
import type { PunchOutCartLine, PunchOutSession } from '../domain/session.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { PunchOutStore } from '../../../ports/punchout-store.ts';

export interface PunchOutSessionPolicy {
  /** How long a start URL may wait to be opened. */
  startTtlMs: number;
  /** How long a session lasts once opened. */
  sessionTtlMs: number;
}

/** What opening a session needs; the rest (ids, times, state) the service fills in. */
export type SessionOpening = Omit<PunchOutSession, 'id' | 'state' | 'createdAt' | 'startExpiresAt' | 'expiresAt'>;

/** Prefix of session access tokens: tells the GraphQL route's verifier to ask this service. */
export const ACCESS_TOKEN_PREFIX = 'pos_';

function randomToken(bytes = 32): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** SHA-256 (hex) of a token: the only form in which tokens are stored. */
export async function tokenHash(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The principal of a PunchOut session: acts for the buyer's customer, in this session only. */
export function punchOutPrincipal(session: PunchOutSession): Principal {
  return {
    subject: `punchout:${session.buyerId}:${session.id}`,
    roles: new Set(['punchout']),
    customerId: session.customerId,
    repId: null,
    punchOutSessionId: session.id,
  };
}

export class PunchOutSessions {
  readonly #store: PunchOutStore;
  readonly #clock: Clock;
  readonly #policy: PunchOutSessionPolicy;

  constructor(store: PunchOutStore, clock: Clock, policy: PunchOutSessionPolicy) {
    this.#store = store;
    this.#clock = clock;
    this.#policy = policy;
  }

  /** Opens a session; returns it with its one-time start token (to put in the start URL). */
  async open(opening: SessionOpening): Promise<{ session: PunchOutSession; startToken: string }> {
    const now = this.#clock.now();
    const session: PunchOutSession = {
      ...opening,
      id: `pos-${randomToken(12)}`,
      state: 'new',
      createdAt: now,
      startExpiresAt: now + this.#policy.startTtlMs,
      expiresAt: now + this.#policy.startTtlMs + this.#policy.sessionTtlMs,
    };
    const startToken = randomToken();
    await this.#store.createSession(session, await tokenHash(startToken));
    return { session, startToken };
  }

  /** Redeems a start token for an access token; `null` when it is unknown, used or expired. */
  async redeem(startToken: string): Promise<{ session: PunchOutSession; accessToken: string } | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(startToken)) return null;
    const accessToken = `${ACCESS_TOKEN_PREFIX}${randomToken()}`;
    const session = await this.#store.redeemStartToken(await tokenHash(startToken), await tokenHash(accessToken), this.#clock.now());
    return session ? { session, accessToken } : null;
  }

  /** The open session of an access token. */
  async byAccessToken(accessToken: string): Promise<PunchOutSession | null> {
    return this.#store.sessionByAccessToken(await tokenHash(accessToken), this.#clock.now());
  }

  async get(id: string): Promise<PunchOutSession | null> {
    return this.#store.getSession(id, this.#clock.now());
  }

  /**
   * Replaces the cart of a session that is still active; `null` (nothing written) when it is not
   * any more: the cart went back, or the session expired, since the caller read it.
   */
  async setLines(session: PunchOutSession, lines: PunchOutCartLine[]): Promise<PunchOutSession | null> {
    const next = { ...session, lines };
    return (await this.#store.replaceSession(next, { state: 'active' }, this.#clock.now())) ? next : null;
  }

  /**
   * Ends the session (its access token stops working: the cart went back to the buyer), only if
   * it is still active with exactly the cart the caller priced. `false` when it changed meanwhile:
   * another return won, or the cart was changed and must be priced again.
   */
  async close(session: PunchOutSession): Promise<boolean> {
    return this.#store.replaceSession({ ...session, state: 'returned' }, { state: 'active', lines: session.lines }, this.#clock.now());
  }
}
