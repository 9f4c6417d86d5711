/**
 * Finds the buyer organisation behind a cXML header or an OCI call-up, and authenticates it.
 * Failures say what to check without saying which half was wrong to an attacker, and the
 * secret never reaches a log: only the buyer id and the kind of failure do.
 *
 * @module
 */
import { anyCredential, secretsEqual, type BuyerOrganisation, type Credential } from '../../domain/punchout/buyer-organisation.ts';

export interface CxmlCredentials {
  from: Credential[];
  to: Credential[];
  sender: Credential[];
  sharedSecret: string | null;
}

export type Authentication =
  | { buyer: BuyerOrganisation }
  | { failure: 'UNKNOWN_BUYER' | 'NO_SECRET' | 'WRONG_SECRET'; message: string };

export class BuyerDirectory {
  readonly #buyers: readonly BuyerOrganisation[];

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
   * SharedSecret is right. Every candidate's secret is checked, so timing does not tell which
   * identities exist.
   */
  authenticateCxml(header: CxmlCredentials): Authentication {
    const candidates = this.#buyers.filter((b) => b.cxml && anyCredential(header.from, b.cxml.from) && anyCredential(header.to, b.cxml.to) && anyCredential(header.sender, b.cxml.sender));
    if (candidates.length === 0) {
      return { failure: 'UNKNOWN_BUYER', message: 'The From, To and Sender credentials match no buyer organisation configured at this supplier; check the identities and domains with your supplier contact.' };
    }
    if (header.sharedSecret === null) {
      return { failure: 'NO_SECRET', message: 'The Sender credential carries no SharedSecret; erpfront authenticates every request with one.' };
    }
    const matches = candidates.filter((b) => secretsEqual(header.sharedSecret!, b.cxml!.sharedSecret));
    if (matches.length === 0) return { failure: 'WRONG_SECRET', message: 'The Sender SharedSecret is not the one agreed for these credentials.' };
    return { buyer: matches[0]! };
  }

  /** The OCI buyer of a `USERNAME`/`PASSWORD` pair or a `TOKEN` call-up parameter. */
  authenticateOci(login: { username: string | null; password: string | null; token: string | null }): BuyerOrganisation | null {
    for (const buyer of this.#buyers) {
      if (!buyer.oci) continue;
      if (login.token && buyer.oci.tokens.some((t) => secretsEqual(login.token!, t))) return buyer;
      if (login.username && login.password) {
        const user = buyer.oci.logins.find((l) => l.username === login.username!.trim());
        if (user && secretsEqual(login.password, user.password)) return buyer;
      }
    }
    return null;
  }
}
