/**
 * Finds the buyer organisation behind a cXML header or an OCI call-up, and authenticates it.
 *
 * Nothing about a failure is told apart to the caller's clock: secrets are compared by their
 * SHA-256 digests in constant time (`sameDigest`), every candidate is compared, and when no
 * account matches the identities (an unknown sender, an unknown OCI user) the sent secret is
 * compared against a dummy digest all the same. The kind of failure is returned for the log
 * only; clients get one answer for all of them (`BuyerLogin`).
 *
 * @module
 */
import { anyCredential, sameDigest, type BuyerOrganisation, type Credential } from '../domain/buyer-organisation.ts';

export interface CxmlCredentials {
  from: Credential[];
  to: Credential[];
  sender: Credential[];
  sharedSecret: string | null;
}

export interface OciLogin {
  username: string | null;
  password: string | null;
  token: string | null;
}

/** Why a login failed: for the log, never for the client. */
export type LoginFailure = 'UNKNOWN_BUYER' | 'NO_SECRET' | 'WRONG_SECRET' | 'UNKNOWN_USER' | 'WRONG_PASSWORD' | 'WRONG_TOKEN' | 'NO_CREDENTIALS';

export type Authentication = { buyer: BuyerOrganisation } | { failure: LoginFailure };

async function digest(secret: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)));
}

/**
 * Compared against when no account matches, so an unknown identity costs what a known one does.
 * Never a match (`#compare` ignores it), so it need not be secret; a constant also keeps module
 * scope free of random values, which Workers forbid outside a request.
 */
const DUMMY_SECRET = 'erpfront: no account has these credentials';

export class BuyerDirectory {
  readonly #buyers: readonly BuyerOrganisation[];
  /** Digests of configured secrets, computed once each. */
  readonly #digests = new Map<string, Promise<Uint8Array>>();

  constructor(buyers: readonly BuyerOrganisation[]) {
    this.#buyers = buyers;
  }

  get size(): number {
    return this.#buyers.length;
  }

  byId(id: string): BuyerOrganisation | undefined {
    return this.#buyers.find((b) => b.id === id);
  }

  /**
   * The buyer whose From, To and Sender credentials the header names, if the Sender's
   * SharedSecret is right.
   */
  async authenticateCxml(header: CxmlCredentials): Promise<Authentication> {
    const candidates = this.#buyers.filter(
      (b) => b.cxml && anyCredential(header.from, b.cxml.from) && anyCredential(header.to, b.cxml.to) && anyCredential(header.sender, b.cxml.sender),
    );
    const matched = await this.#compare(
      header.sharedSecret ?? '',
      candidates.map((b) => b.cxml!.sharedSecret),
    );
    if (candidates.length === 0) return { failure: 'UNKNOWN_BUYER' };
    if (header.sharedSecret === null) return { failure: 'NO_SECRET' };
    return matched === -1 ? { failure: 'WRONG_SECRET' } : { buyer: candidates[matched]! };
  }

  /** The OCI buyer of a `USERNAME`/`PASSWORD` pair or a `TOKEN` call-up parameter. */
  async authenticateOci(login: OciLogin): Promise<Authentication> {
    const oci = this.#buyers.filter((b) => b.oci);
    if (login.token) {
      const tokens = oci.flatMap((b) => b.oci!.tokens.map((token) => ({ buyer: b, token })));
      const matched = await this.#compare(
        login.token,
        tokens.map((t) => t.token),
      );
      return matched === -1 ? { failure: 'WRONG_TOKEN' } : { buyer: tokens[matched]!.buyer };
    }
    if (!login.username || !login.password) return { failure: 'NO_CREDENTIALS' };
    const username = login.username.trim();
    const owner = oci.find((b) => b.oci!.logins.some((l) => l.username === username));
    const user = owner?.oci!.logins.find((l) => l.username === username);
    const matched = await this.#compare(login.password, user ? [user.password] : []);
    if (!owner) return { failure: 'UNKNOWN_USER' };
    return matched === -1 ? { failure: 'WRONG_PASSWORD' } : { buyer: owner };
  }

  /**
   * The index of the first of `expected` that `sent` equals, or -1. Every one is compared (the
   * dummy when there are none), so the time taken does not depend on which, or whether any, matched.
   */
  async #compare(sent: string, expected: readonly string[]): Promise<number> {
    const sentDigest = await digest(sent);
    const digests = await Promise.all((expected.length ? expected : [DUMMY_SECRET]).map((s) => this.#digestOf(s)));
    let matched = -1;
    digests.forEach((d, i) => {
      const same = sameDigest(sentDigest, d) && sent.length > 0 && expected.length > 0;
      if (same && matched === -1) matched = i;
    });
    return matched;
  }

  #digestOf(secret: string): Promise<Uint8Array> {
    let known = this.#digests.get(secret);
    if (!known) this.#digests.set(secret, (known = digest(secret)));
    return known;
  }
}
