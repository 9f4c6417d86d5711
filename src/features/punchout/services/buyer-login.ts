/**
 * A PunchOut login (a cXML request's credentials, an OCI call-up): authenticated by the buyer
 * directory, throttled per sender identity and per source address. Clients get one of three
 * answers — the buyer, "not recognised" (whatever was wrong), or "too many failed logins, retry
 * in n s" — so nobody learns which identities exist; the log gets the kind of failure.
 *
 * A failure is counted before the credentials are checked and handed back if they were right:
 * a burst of concurrent guesses cannot all pass the check before any of them is counted, and
 * successful logins never count.
 *
 * @module
 */
import type { BuyerOrganisation } from '../domain/buyer-organisation.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { BuyerDirectory, CxmlCredentials, LoginFailure, OciLogin } from './buyer-directory.ts';
import { LoginThrottle, type LoginThrottleOptions } from './login-throttle.ts';

/** The one answer to every failed login, whatever was wrong. */
export const LOGIN_REFUSED =
  'The credentials are not recognised. Check the From, To and Sender identities and the SharedSecret (for SAP OCI: the call-up login) with your supplier contact.';

export type LoginResult = { buyer: BuyerOrganisation } | { refused: LoginFailure } | { throttled: { retryAfterSeconds: number; message: string } };

export interface BuyerLoginOptions {
  /** Failed logins per sender identity (cXML Sender credential, OCI user). */
  perIdentity: LoginThrottleOptions;
  /** Failed logins per source address, whatever identities they named. */
  perAddress: LoginThrottleOptions;
}

/**
 * 10 failures per sender, 20 per address, each leaking away over 5 minutes: a buyer mistyping a
 * secret is not locked out, a guesser gets one try per 30 s per sender once the burst is spent.
 */
export const DEFAULT_LOGIN_THROTTLE: BuyerLoginOptions = {
  perIdentity: { maxFailures: 10, windowMs: 300_000 },
  perAddress: { maxFailures: 20, windowMs: 300_000 },
};

/** Identities as keys: bounded (an identity may be as long as the body) and told apart by kind. */
const key = (kind: string, value: string) => `${kind}:${value.trim().slice(0, 256)}`;
/** Enough Sender credentials to cover real headers; more are not separate throttling keys. */
const MAX_SENDER_KEYS = 4;

export class BuyerLogin {
  readonly #directory: BuyerDirectory;
  readonly #clock: Clock;
  readonly #perIdentity: LoginThrottle;
  readonly #perAddress: LoginThrottle;

  constructor(directory: BuyerDirectory, clock: Clock, options: BuyerLoginOptions = DEFAULT_LOGIN_THROTTLE) {
    this.#directory = directory;
    this.#clock = clock;
    this.#perIdentity = new LoginThrottle(options.perIdentity);
    this.#perAddress = new LoginThrottle(options.perAddress);
  }

  /** A cXML request's credentials, from `address` (null when the runtime does not tell). */
  cxml(header: CxmlCredentials, address: string | null): Promise<LoginResult> {
    const identities = header.sender.slice(0, MAX_SENDER_KEYS).map((c) => key(`cxml-sender:${c.domain.trim().toLowerCase().slice(0, 64)}`, c.identity));
    return this.#attempt(identities, address, () => this.#directory.authenticateCxml(header));
  }

  /** An OCI call-up's login, from `address`. */
  oci(login: OciLogin, address: string | null): Promise<LoginResult> {
    const identities = login.username ? [key('oci-user', login.username)] : [];
    return this.#attempt(identities, address, () => this.#directory.authenticateOci(login));
  }

  async #attempt(
    identities: string[],
    address: string | null,
    authenticate: () => Promise<{ buyer: BuyerOrganisation } | { failure: LoginFailure }>,
  ): Promise<LoginResult> {
    const addresses = address ? [key('address', address)] : [];
    const now = this.#clock.now();
    const waitMs = Math.max(this.#perIdentity.retryAfterMs(identities, now), this.#perAddress.retryAfterMs(addresses, now));
    if (waitMs > 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      return {
        throttled: { retryAfterSeconds, message: `Too many failed logins for these credentials or from this address; retry in ${retryAfterSeconds} s.` },
      };
    }
    // Counted before the check, handed back after it if the credentials were right.
    this.#perIdentity.failed(identities, now);
    this.#perAddress.failed(addresses, now);
    const result = await authenticate();
    if ('failure' in result) return { refused: result.failure };
    this.#perIdentity.refund(identities, now);
    this.#perAddress.refund(addresses, now);
    return result;
  }
}
