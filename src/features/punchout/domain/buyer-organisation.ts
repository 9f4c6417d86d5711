/**
 * A buyer organisation that may PunchOut into erpfront: who it is on the procurement networks,
 * how it authenticates, which ERP customer it buys as, and where its documents go.
 *
 * Credentials are compared the way real buyers send them (see the cXML fixtures'
 * VALIDATION.md): the domain case-insensitively (`NetworkID`/`NetworkId`, `DUNS`/`duns`), the
 * identity trimmed; secrets exactly, by their digests, in constant time (see `sameDigest`).
 *
 * @module
 */

/** A `Credential` of a cXML header party. */
export interface Credential {
  domain: string;
  identity: string;
}

export interface BuyerOrganisation {
  /** Our id for the buyer (logs, session records). */
  id: string;
  name: string;
  /** The ERP customer the buyer's users buy as. */
  customerId: string;
  cxml?: {
    /** Any of these identifies the buyer in `From` (several: DUNS, NetworkID, test ids). */
    from: Credential[];
    /** Any of these must be in `To`: erpfront (the supplier) as this buyer knows it. */
    to: Credential[];
    /** Any of these, with `sharedSecret`, must be in `Sender` (the buyer, or its network hub). */
    sender: Credential[];
    sharedSecret: string;
    /** The cXML version the buyer accepts in what we send (DOCTYPE), e.g. `1.2.014`. */
    version: string;
    /** The version of Fulfill.dtd for ConfirmationRequest / ShipNoticeRequest, e.g. `1.2.050`. */
    fulfillVersion: string;
    /** How the cart goes back through the browser: `cxml-urlencoded` (default) or `cxml-base64`. */
    formEncoding: 'cxml-urlencoded' | 'cxml-base64';
    /** The mode the buyer's documents must declare (`deploymentMode`; absent means production). */
    deploymentMode: 'production' | 'test';
    /** Where ConfirmationRequest / ShipNoticeRequest documents are posted; none: not sent. */
    orderStatusUrl?: string;
    /**
     * Whether the buyer also receives each invoice and credit memo of its orders as a cXML
     * InvoiceDetailRequest, posted to `orderStatusUrl` (e-invoicing). Default false.
     */
    eInvoices?: boolean;
  };
  oci?: {
    /** Call-up logins (`USERNAME`/`PASSWORD`), or a single `TOKEN` parameter. */
    logins: Array<{ username: string; password: string }>;
    tokens: string[];
  };
  /** Hosts the cart may be posted to (BrowserFormPost URL, HOOK_URL), lower case. */
  allowedReturnHosts: string[];
  /** UN/CEFACT Rec. 20 → the buyer's unit codes where they differ (OCI buyers map units). */
  unitMap: Record<string, string>;
}

/** Same credential: domain case-insensitive, identity exact once trimmed (identities are ids). */
export function sameCredential(a: Credential, b: Credential): boolean {
  return a.domain.trim().toLowerCase() === b.domain.trim().toLowerCase() && a.identity.trim() === b.identity.trim();
}

/** True when any of `sent` is one of `configured`. */
export function anyCredential(sent: readonly Credential[], configured: readonly Credential[]): boolean {
  return sent.some((s) => configured.some((c) => sameCredential(s, c)));
}

/**
 * Compares two SHA-256 digests of secrets in time that depends on neither secret: the digests
 * have one length whatever the secrets' lengths, and every byte is compared, so response times
 * tell an attacker nothing about how much of a guess was right (or how long the secret is).
 */
export function sameDigest(sent: Uint8Array, expected: Uint8Array): boolean {
  let diff = sent.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) diff |= (sent[i] ?? 0) ^ expected[i]!;
  return diff === 0;
}

/** Whether the cart may be posted to `url` for this buyer: http(s), to one of its hosts. */
export function returnUrlAllowed(buyer: BuyerOrganisation, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  if (parsed.username || parsed.password) return false;
  return buyer.allowedReturnHosts.includes(parsed.hostname.toLowerCase());
}
