/**
 * A PunchOut session: a procurement system's user shopping in erpfront on behalf of the buyer's
 * ERP customer, until the cart goes back to the procurement system.
 *
 * @module
 */

export type PunchOutProtocol = 'cxml' | 'oci';

/** `create` a new cart; `edit` the cart returned earlier; `inspect` it read-only. */
export type PunchOutOperation = 'create' | 'edit' | 'inspect';

/** `new`: the start token was not redeemed yet; `active`: shopping; `returned`: the cart went back. */
export type PunchOutState = 'new' | 'active' | 'returned';

export interface PunchOutCartLine {
  sku: string;
  quantity: number;
}

export interface PunchOutSession {
  id: string;
  protocol: PunchOutProtocol;
  buyerId: string;
  customerId: string;
  operation: PunchOutOperation;
  state: PunchOutState;
  /** cXML: the BuyerCookie exactly as received (echoed unchanged); OCI: null. */
  buyerCookie: string | null;
  /** Where the browser posts the cart: the BrowserFormPost URL, or HOOK_URL without its query. */
  returnUrl: string;
  /** OCI: hidden fields to send back as received (HOOK_URL's query, `~OkCode`, `~TARGET`, `~CALLER`). */
  returnFields: Array<[string, string]>;
  /** The form's `target` (OCI `returntarget`/`~TARGET`; `_top` for cXML, the shop may be framed). */
  returnTarget: string;
  deploymentMode: 'production' | 'test';
  /** The user as the buyer named them (email, name), for the audit trail; never a credential. */
  user: string | null;
  lines: PunchOutCartLine[];
  /** UTC epoch ms. */
  createdAt: number;
  /** The start token is valid until then. */
  startExpiresAt: number;
  /** The session (and its access token) ends then. */
  expiresAt: number;
}

/** Same cart: the same SKUs in the same order with the same quantities. */
export function sameLines(a: readonly PunchOutCartLine[], b: readonly PunchOutCartLine[]): boolean {
  return a.length === b.length && a.every((line, i) => line.sku === b[i]!.sku && line.quantity === b[i]!.quantity);
}

/** Whether the session may still change its cart. */
export function cartEditable(session: PunchOutSession): boolean {
  return session.state === 'active' && session.operation !== 'inspect';
}

/**
 * The `SupplierPartAuxiliaryID` of a cart line: ties an OrderRequest line (and an edit/inspect
 * ItemOut) back to the session and line that produced it.
 */
export function auxiliaryId(session: PunchOutSession, lineIndex: number): string {
  return `${session.id}/${lineIndex + 1}`;
}

/** The session id an auxiliary id names, if it is one of ours. */
export function sessionIdOf(auxiliary: string | null): string | null {
  const match = auxiliary ? /^(pos-[A-Za-z0-9_-]+)\/\d+$/.exec(auxiliary.trim()) : null;
  return match ? match[1]! : null;
}
