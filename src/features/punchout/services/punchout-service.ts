/**
 * PunchOut, protocol-neutral: opens sessions for authenticated buyers (cXML setup requests and
 * OCI call-ups alike), keeps the cart of a session, and prices it for its return. The cXML and
 * OCI transports only translate to and from their wire formats.
 *
 * @module
 */
import { returnUrlAllowed, type BuyerOrganisation } from '../domain/buyer-organisation.ts';
import { cartEditable, type PunchOutCartLine, type PunchOutOperation, type PunchOutSession } from '../domain/session.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { PunchOutStore } from '../../../ports/punchout-store.ts';
import type { PlaceOrderDeps } from '../../orders/services/place-order.ts';
import type { RequestScope } from '../../../services/request-scope.ts';
import { BuyerDirectory } from './buyer-directory.ts';
import { BuyerLogin, type BuyerLoginOptions } from './buyer-login.ts';
import { priceCart, type PricedCart } from './cart-pricing.ts';
import { PunchOutSessions, type SessionOpening } from './sessions.ts';

export interface PunchOutServiceDeps {
  buyers: BuyerDirectory;
  sessions: PunchOutSessions;
  store: PunchOutStore;
  clock: Clock;
  /** Where a cXML OrderRequest goes; absent on read-only deployments (refused with 450). */
  orders?: PlaceOrderDeps;
  /** How long an OrderRequest's answer is remembered for re-sent documents. */
  answerTtlMs: number;
  /** Most lines in a cart (same bound as an order). */
  maxLines: number;
  /** Throttling of failed logins; default `DEFAULT_LOGIN_THROTTLE`. */
  loginThrottle?: BuyerLoginOptions;
}

/** A refusal to open or use a session: a status class and a message the buyer can act on. */
export class PunchOutRefusal extends Error {
  override readonly name = 'PunchOutRefusal';
  readonly code: 'RETURN_URL_NOT_ALLOWED' | 'OPERATION_NOT_SUPPORTED' | 'CART_READ_ONLY' | 'INVALID_CART' | 'SESSION_CLOSED' | 'CART_CHANGED';

  constructor(code: PunchOutRefusal['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export interface OpenRequest {
  buyer: BuyerOrganisation;
  protocol: 'cxml' | 'oci';
  operation: PunchOutOperation | 'source';
  returnUrl: string;
  buyerCookie: string | null;
  returnFields: Array<[string, string]>;
  returnTarget: string;
  deploymentMode: 'production' | 'test';
  user: string | null;
  /** For edit/inspect: the lines of the cart returned earlier (ItemOut). */
  lines: PunchOutCartLine[];
}

export class PunchOutService {
  readonly deps: PunchOutServiceDeps;
  /** Authenticates buyers' cXML requests and OCI call-ups, throttling failed logins. */
  readonly login: BuyerLogin;

  constructor(deps: PunchOutServiceDeps) {
    this.deps = deps;
    this.login = new BuyerLogin(deps.buyers, deps.clock, deps.loginThrottle);
  }

  /** Opens a session; returns its one-time start token. */
  async open(request: OpenRequest): Promise<{ session: PunchOutSession; startToken: string }> {
    const { buyer } = request;
    if (request.operation === 'source')
      throw new PunchOutRefusal('OPERATION_NOT_SUPPORTED', 'PunchOut operation "source" (RFQ) is not supported; use create, edit or inspect.');
    if (!returnUrlAllowed(buyer, request.returnUrl)) {
      // Never post a cart (prices, the buyer's cookie) to a host the buyer did not register.
      throw new PunchOutRefusal(
        'RETURN_URL_NOT_ALLOWED',
        `The return URL's host is not among the hosts configured for buyer ${buyer.id}; ask the supplier to allow it.`,
      );
    }
    const opening: SessionOpening = {
      protocol: request.protocol,
      buyerId: buyer.id,
      customerId: buyer.customerId,
      operation: request.operation,
      buyerCookie: request.buyerCookie,
      returnUrl: request.returnUrl,
      returnFields: request.returnFields,
      returnTarget: request.returnTarget,
      deploymentMode: request.deploymentMode,
      user: request.user?.slice(0, 200) ?? null,
      lines: mergeLines(request.lines).slice(0, this.deps.maxLines),
    };
    return this.deps.sessions.open(opening);
  }

  /** Replaces the cart of an open, editable session. */
  async setCart(session: PunchOutSession, lines: PunchOutCartLine[]): Promise<PunchOutSession> {
    if (!cartEditable(session))
      throw new PunchOutRefusal(
        'CART_READ_ONLY',
        session.operation === 'inspect' ? 'This PunchOut session inspects a cart: it cannot be changed.' : 'This PunchOut session has ended.',
      );
    if (lines.length > this.deps.maxLines) throw new PunchOutRefusal('INVALID_CART', `A cart has at most ${this.deps.maxLines} lines.`);
    for (const line of lines) {
      if (!Number.isFinite(line.quantity) || line.quantity <= 0)
        throw new PunchOutRefusal('INVALID_CART', `Quantity of ${line.sku} must be greater than zero, got ${line.quantity}.`);
    }
    const saved = await this.deps.sessions.setLines(session, mergeLines(lines));
    // The cart went back (or the session ran out) since this request read it: nothing was written.
    if (!saved) throw new PunchOutRefusal('SESSION_CLOSED', 'This PunchOut session has ended; start a new one from your procurement system.');
    return saved;
  }

  /**
   * Prices the session's cart for its return, through the request's scope and the same pricing
   * service as the GraphQL prices, lets `build` write the return document, then ends the session:
   * the next one starts from the buyer's procurement system. A cart that cannot be priced or
   * written leaves the session open.
   *
   * The session ends only if it is still active with the cart that was priced: a cart changed
   * meanwhile is priced again (a few times), and a session another request returned is refused,
   * so one cart goes back once, and it is the cart the session holds.
   */
  async returnCart<T>(
    scope: RequestScope,
    session: PunchOutSession,
    build: (buyer: BuyerOrganisation, cart: PricedCart, session: PunchOutSession) => T,
  ): Promise<{ cart: PricedCart; built: T }> {
    let current: PunchOutSession | null = session;
    for (let attempt = 0; attempt < RETURN_ATTEMPTS; attempt++) {
      if (!current || current.state !== 'active')
        throw new PunchOutRefusal('SESSION_CLOSED', 'This PunchOut session has ended; start a new one from your procurement system.');
      const buyer = this.deps.buyers.byId(current.buyerId);
      if (!buyer) throw new PunchOutRefusal('SESSION_CLOSED', `Buyer ${current.buyerId} is no longer configured.`);
      const cart = await priceCart(scope, current.customerId, current.lines, this.deps.clock.now());
      const built = build(buyer, cart, current);
      if (await this.deps.sessions.close(current)) return { cart, built };
      current = await this.deps.sessions.get(current.id);
    }
    throw new PunchOutRefusal('CART_CHANGED', 'The cart kept changing while it was being returned; return it again once it is complete.');
  }
}

/** How often a return prices a cart again that changed under it before giving up. */
const RETURN_ATTEMPTS = 5;

/** One line per SKU (quantities added), in first-seen order: a requisition line per product. */
function mergeLines(lines: readonly PunchOutCartLine[]): PunchOutCartLine[] {
  const merged = new Map<string, number>();
  for (const line of lines) {
    const sku = line.sku.trim();
    if (sku) merged.set(sku, (merged.get(sku) ?? 0) + line.quantity);
  }
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}
