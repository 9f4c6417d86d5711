/**
 * Logging in to the ops console: an operator pastes an ops token once; it is verified
 * (`verifyToken`, then the access policy's `ops.console`) and exchanged for a session. The browser
 * keeps only the session's opaque random id, in an HttpOnly cookie; the token is never stored,
 * never put in a URL and never shown again.
 *
 * Sessions live in the backends' console session store (shared in scale-out, so any instance
 * serves them), under a SHA-256 of the id. Each carries its own CSRF token, which every form of
 * the console sends back and which is compared in constant time.
 *
 * @module
 */
import { decodeJwt } from 'jose';
import { can } from '../../domain/access/policy.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ConsoleSession, ConsoleSessionStore } from '../../ports/console-session-store.ts';
import type { TokenVerifier } from '../../services/token-verifier.ts';

/** An id of 32 random bytes, base64url: what the cookie holds. */
const ID_BYTES = 32;
const WELL_FORMED_ID = /^[A-Za-z0-9_-]{43}$/;

export type LoginOutcome =
  | { ok: true; id: string; session: ConsoleSession }
  /** `unavailable`: the token could not be checked now (the identity provider's keys); retry. */
  /** `subject`: whose token was refused, when it was a valid one (a buyer's). */
  | { ok: false; status: 401 | 403 | 503; problem: string; subject?: string };

export interface ConsoleSessionsOptions {
  store: ConsoleSessionStore;
  verifyToken: TokenVerifier;
  clock: Clock;
  /** OPS_CONSOLE_SESSION_MINUTES in ms. */
  ttlMs: number;
}

export class ConsoleSessions {
  readonly #o: ConsoleSessionsOptions;

  constructor(options: ConsoleSessionsOptions) {
    this.#o = options;
  }

  /** Checks the token and opens a session for its subject; the session ends by the token's own expiry at the latest. */
  async login(token: string): Promise<LoginOutcome> {
    const verified = await this.#o.verifyToken(token);
    if ('problem' in verified) {
      return { ok: false, status: verified.unavailable ? 503 : 401, problem: `This token was not accepted: ${verified.problem}.` };
    }
    const decision = can({ principal: verified.principal, customerId: null }, 'ops.console', { customerId: null });
    if (decision.verdict !== 'allow') {
      return {
        ok: false,
        status: 403,
        problem: decision.verdict === 'deny' ? decision.message : 'This needs the ops role.',
        subject: verified.principal.subject,
      };
    }
    const now = this.#o.clock.now();
    // Verified above: its exp is there (every accepted token must expire).
    const exp = decodeJwt(token).exp;
    const expiresAt = Math.min(now + this.#o.ttlMs, typeof exp === 'number' ? exp * 1000 : now + this.#o.ttlMs);
    const id = randomId();
    const session: ConsoleSession = { subject: verified.principal.subject, csrf: randomId(), createdAt: now, expiresAt };
    await this.#o.store.put(await storeKey(id), session);
    return { ok: true, id, session };
  }

  /** The session a cookie's id stands for, or `null` (none, malformed, expired, logged out). */
  async find(id: string | undefined): Promise<ConsoleSession | null> {
    if (!id || !WELL_FORMED_ID.test(id)) return null;
    return this.#o.store.get(await storeKey(id), this.#o.clock.now());
  }

  /** Ends the session (logout). */
  async end(id: string): Promise<void> {
    if (WELL_FORMED_ID.test(id)) await this.#o.store.delete(await storeKey(id));
  }
}

/** Whether the form's CSRF token is the session's, compared in constant time. */
export function csrfMatches(session: ConsoleSession, sent: unknown): boolean {
  if (typeof sent !== 'string') return false;
  const a = new TextEncoder().encode(session.csrf);
  const b = new TextEncoder().encode(sent);
  // The length is no secret (always 43); the loop runs over the expected length whatever is sent.
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ (b[i] ?? 0);
  return difference === 0;
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(ID_BYTES));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** What the store keys a session by: a copy of the store cannot be replayed as cookies. */
async function storeKey(id: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(id)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
