/**
 * Who may do what: every access decision of erpfront, in one pure function.
 *
 * `can(actor, action, resource)` answers allow, deny (with the reason and the sentence a client
 * is told), or — for a sales rep naming a customer before their assignments were read — which
 * fact it still needs. It never reads anything: the transport fetches what a decision needs (the
 * rep's customers, through the ERP reader), then asks again.
 *
 * A resource with no customer (`customerId: null`) asks about the action in general, before a
 * customer or a record is known: "may this principal place orders at all?" is asked before the
 * request's customer is checked, "may it see this order?" once the order is read. Requests act for
 * one customer, settled first (`customer.actFor`); a resource of any other customer is refused,
 * except to operations where a rule says so.
 *
 * Adding a role (company accounts: approver, requester) means a role in `Principal`, actions for
 * what it does (`order.approve`, `quote.request`, `return.request`) and their rules in `RULES`;
 * the table test lists every cell.
 *
 * @module
 */
import type { CompanyRole } from '../company/directory.ts';
import type { Principal, Role } from '../principal.ts';

/** Everything access is decided for. */
export const ACTIONS = [
  /** Act for a customer: read its prices, account and orders, order for it. */
  'customer.actFor',
  /** See an order. Refused: the order does not exist, as far as the caller can tell. */
  'order.read',
  'order.place',
  /**
   * Preview an order (its totals, tax, credit and approval) or a reorder, writing nothing. Whoever
   * may place an order may preview it; a PunchOut session too (its cart's total with tax). A
   * reorder also needs `order.read` of the past order, or `quote.read` of the past quote, of the
   * customer the request acts for: another customer's is not found.
   */
  'checkout.preview',
  'order.cancel',
  /** Send a rejected order to the ERP again (operations). */
  'order.replay',
  /** Release an order held for a person's decision (operations). */
  'order.release',
  /** List the order queue of every customer (operations). */
  'orderQueue.read',
  /** Read the ERP's own words on an order's failures. Refused: the client's sentence instead. */
  'order.erpText.read',
  /** Read, fill and return the cart of a PunchOut session. */
  'punchout.cart',
  'ops.metrics',
  /** The readiness detail (ERP state, breaker, budget, queue); the verdict itself is public. */
  'ops.readiness',
  'ops.invalidate',
  /**
   * Log in to the ops console (`/ops`) and read its pages: health, queue, findings, audit log. Its
   * actions are asked for as themselves (`order.replay`, `reconciliation.run`, ...).
   */
  'ops.console',
  /**
   * Send a GraphQL document of one's own (a `query` text) rather than the id of one a storefront
   * build registered. Asked only under `TRUSTED_DOCUMENTS=only`; otherwise everyone may.
   */
  'graphql.freeQuery',
  /** See what reconciliation of erpfront's orders with the ERP's found (operations). */
  'reconciliation.read',
  /** Run reconciliation now (operations). */
  'reconciliation.run',
  /** See the company (the customer) as erpfront keeps it: its buyer directory and approval rules. */
  'company.read',
  /** Add buyers to the company's directory, change their roles and limits, designate admins. */
  'company.manageBuyers',
  /** Add, change and remove the company's approval rules. */
  'company.manageRules',
  /**
   * Approve or reject an order waiting for approval, and list those waiting. Refused for another
   * company's order: the order does not exist, as far as the caller can tell.
   */
  'order.approve',
  /**
   * Register a company (and see one's own registrations): a signed-in user of no company yet, an
   * applicant. A buyer, a rep or operations already act for customers, or for none by design.
   */
  'company.register',
  /** List, approve and reject company registrations (operations). */
  'companyApplication.review',
  /** Request a quote (RFQ) for the customer: who may order for it. */
  'quote.request',
  /** See a quote. Refused: the quote does not exist, as far as the caller can tell. */
  'quote.read',
  /** Accept, decline or ask to revise a quote: who may order for the customer. */
  'quote.respond',
  /** Ask to return lines of a shipped order: who may order for the customer. */
  'return.request',
  /** See a return request. Refused: it does not exist, as far as the caller can tell. */
  'return.read',
  /**
   * A sales rep's home: the customers the ERP assigns them, with credit, open orders, orders
   * awaiting approval and overdue invoices. Only their own: the list is the ERP's assignment.
   */
  'rep.home',
  /**
   * See the customer's invoices, credit memos and statement, and download an invoice's document.
   * Refused for another customer's: the invoice does not exist, as far as the caller can tell.
   */
  'invoice.read',
] as const;

export type Action = (typeof ACTIONS)[number];

/** What an action touches. */
export interface Resource {
  /** The customer whose data it is; `null`: the action in general (see the module comment). */
  readonly customerId: string | null;
  /** For `punchout.cart`: the session whose cart it is. */
  readonly punchOutSessionId?: string | null;
  /** For `order.approve`: the subject who placed the order (never its own approver). */
  readonly requester?: string | null;
}

/**
 * The customers the ERP assigns to a sales rep, once read; `'unknown-rep'` when the ERP has no
 * such rep.
 */
export type RepCustomers = readonly string[] | 'unknown-rep';

/** Who asks, with the facts the transport has gathered for the decision. */
export interface Actor {
  readonly principal: Principal;
  /** The customer the request acts for, once settled; `null` when it acts for none. */
  readonly customerId: string | null;
  /** A rep's assigned customers; absent until read (only `customer.actFor` needs them). */
  readonly repCustomers?: RepCustomers;
  /**
   * The principal's roles in the buyer directory of the customer the request acts for (company
   * accounts); absent or empty for someone with none (a rep, operations, a PunchOut session).
   * They come from erpfront's directory, never from the token.
   */
  readonly companyRoles?: readonly CompanyRole[];
}

/** Why an access is refused. */
export type DenialReason =
  /** A buyer (or a PunchOut session) asks for a customer other than their own. */
  | 'NOT_OWN_CUSTOMER'
  /** A rep names a customer the ERP does not assign to them. */
  | 'NOT_ASSIGNED'
  /** A rep the ERP does not know. */
  | 'UNKNOWN_REP'
  /** A token that acts for no customer (operations) names one. */
  | 'NO_CUSTOMER_ACCESS'
  /** The resource belongs to another customer than the one the request acts for. */
  | 'OTHER_CUSTOMER'
  /** Operations only. */
  | 'OPS_ONLY'
  /**
   * A PunchOut session does not order by itself: its cart goes back to the procurement system,
   * whose approval workflow then sends the OrderRequest.
   */
  | 'PUNCHOUT_SESSION'
  /** PunchOut carts need a PunchOut session token. */
  | 'NOT_PUNCHOUT_SESSION'
  /** Another PunchOut session's cart. */
  | 'OTHER_SESSION'
  /** Managing a company needs its ADMIN role (or operations). */
  | 'NOT_COMPANY_ADMIN'
  /** Approving needs the company's APPROVER or ADMIN role. */
  | 'NOT_APPROVER'
  /** The requester of an order never approves it, whatever roles they hold. */
  | 'SELF_APPROVAL'
  /** Operations act for a customer to help it, not to spend its money. */
  | 'NOT_A_BUYER'
  /** Only a user who belongs to no company yet registers one. */
  | 'NOT_APPLICANT'
  /** A sales rep's own views need a rep token. */
  | 'NOT_A_REP';

export type Decision =
  | { readonly verdict: 'allow' }
  | { readonly verdict: 'deny'; readonly reason: DenialReason; readonly message: string }
  /** Undecided until the rep's assigned customers are read: ask again with `repCustomers`. */
  | { readonly verdict: 'needs-rep-customers'; readonly repId: string };

const ALLOW: Decision = Object.freeze({ verdict: 'allow' });

function deny(reason: DenialReason, message: string): Decision {
  return { verdict: 'deny', reason, message };
}

const has = (actor: Actor, role: Role) => actor.principal.roles.has(role);

/** The API operation each order action guards, named when a PunchOut session is refused it. */
const ORDER_OPERATIONS = {
  'order.place': 'placeOrder',
  'order.cancel': 'cancelOrder',
  'order.replay': 'replayOrder',
  'order.release': 'releaseOrder',
  'order.approve': 'approveOrder',
} as const;

function punchOutOrdering(action: keyof typeof ORDER_OPERATIONS): Decision {
  return deny(
    'PUNCHOUT_SESSION',
    `A PunchOut session cannot call ${ORDER_OPERATIONS[action]}: return the cart with returnPunchOutCart; the order arrives from the procurement system.`,
  );
}

/** The resource has no customer yet, or the one the request acts for. */
const ofActingCustomer = (actor: Actor, resource: Resource) => resource.customerId === null || resource.customerId === actor.customerId;

const otherCustomer = (resource: Resource) =>
  deny('OTHER_CUSTOMER', `This belongs to customer ${resource.customerId}, not to the customer this request acts for.`);

const opsOnly =
  (message: string) =>
  (actor: Actor): Decision =>
    has(actor, 'ops') ? ALLOW : deny('OPS_ONLY', message);

const OPS_ROLE_NEEDED = 'This needs the ops role.';

const hasCompanyRole = (actor: Actor, ...roles: CompanyRole[]) => roles.some((r) => actor.companyRoles?.includes(r) ?? false);

/** The company's admins, for the company they belong to; operations, for any company they name. */
const companyAdmin =
  (what: string) =>
  (actor: Actor, resource: Resource): Decision => {
    if (has(actor, 'ops')) return ALLOW;
    if (!ofActingCustomer(actor, resource)) return otherCustomer(resource);
    return hasCompanyRole(actor, 'ADMIN') ? ALLOW : deny('NOT_COMPANY_ADMIN', `${what} needs the company's ADMIN role.`);
  };

/** One rule per action. */
const RULES: { readonly [A in Action]: (actor: Actor, resource: Resource) => Decision } = {
  'customer.actFor': actForCustomer,

  'order.read': (actor, resource) => (has(actor, 'ops') || ofActingCustomer(actor, resource) ? ALLOW : otherCustomer(resource)),

  'order.place': (actor, resource) => {
    if (has(actor, 'punchout')) return punchOutOrdering('order.place');
    if (has(actor, 'ops') && !has(actor, 'buyer') && !has(actor, 'rep'))
      return deny('NOT_A_BUYER', "Operations do not place orders: a buyer of the customer, or the customer's sales rep, does.");
    return ofActingCustomer(actor, resource) ? ALLOW : otherCustomer(resource);
  },

  'checkout.preview': (actor, resource) => {
    if (has(actor, 'ops') && !has(actor, 'buyer') && !has(actor, 'rep') && !has(actor, 'punchout'))
      return deny('NOT_A_BUYER', "Operations do not place orders: a buyer of the customer, or the customer's sales rep, previews them.");
    return ofActingCustomer(actor, resource) ? ALLOW : otherCustomer(resource);
  },

  'order.cancel': (actor, resource) => {
    if (has(actor, 'punchout')) return punchOutOrdering('order.cancel');
    return has(actor, 'ops') || ofActingCustomer(actor, resource) ? ALLOW : otherCustomer(resource);
  },

  'order.replay': (actor) => (has(actor, 'punchout') ? punchOutOrdering('order.replay') : opsOnly(OPS_ROLE_NEEDED)(actor)),
  'order.release': (actor) => (has(actor, 'punchout') ? punchOutOrdering('order.release') : opsOnly(OPS_ROLE_NEEDED)(actor)),
  'orderQueue.read': opsOnly(OPS_ROLE_NEEDED),
  'order.erpText.read': opsOnly(OPS_ROLE_NEEDED),

  'punchout.cart': (actor, resource) => {
    const { principal } = actor;
    if (!has(actor, 'punchout') || !principal.punchOutSessionId)
      return deny('NOT_PUNCHOUT_SESSION', 'This needs a PunchOut session token (from POST /punchout/session).');
    const sameSession = resource.punchOutSessionId == null || resource.punchOutSessionId === principal.punchOutSessionId;
    const sameCustomer = resource.customerId === null || resource.customerId === principal.customerId;
    return sameSession && sameCustomer ? ALLOW : deny('OTHER_SESSION', "This is another PunchOut session's cart; use the token of that session.");
  },

  'ops.metrics': opsOnly('Metrics are for operations: they need the ops role.'),
  'ops.readiness': opsOnly('The readiness detail is for operations: it needs the ops role.'),
  'ops.invalidate': opsOnly('Invalidating the cache needs the ops role.'),
  'ops.console': opsOnly('The ops console is for operations: it needs a token with the ops role.'),
  // Production frontends (storefronts, PunchOut, reps' apps) are builds that register their
  // documents; operations (and developers, with an ops token in GraphiQL) explore freely.
  'graphql.freeQuery': opsOnly(
    'This API runs only the documents registered by the storefront build for this token: send a documentId (or extensions.persistedQuery.sha256Hash) instead of a query text.',
  ),
  'reconciliation.read': opsOnly('Reconciliation findings are for operations: they need the ops role.'),
  'reconciliation.run': opsOnly('Running reconciliation needs the ops role.'),

  // Any person of the company sees it (its reps and operations too, acting for it).
  'company.read': (actor, resource) => (has(actor, 'ops') || ofActingCustomer(actor, resource) ? ALLOW : otherCustomer(resource)),
  'company.manageBuyers': companyAdmin("Changing the company's buyers"),
  'company.manageRules': companyAdmin("Changing the company's approval rules"),

  // Only a person of the order's own company, holding an approving role, and never its requester.
  // Operations release credit holds; they do not approve a company's spending.
  'order.approve': (actor, resource) => {
    if (has(actor, 'punchout')) return punchOutOrdering('order.approve');
    if (!ofActingCustomer(actor, resource)) return otherCustomer(resource);
    // Whatever roles the requester holds: said first, so they learn why, not which role they lack.
    if (resource.requester != null && resource.requester === actor.principal.subject)
      return deny('SELF_APPROVAL', 'You placed this order: another approver of the company must decide on it.');
    return hasCompanyRole(actor, 'APPROVER', 'ADMIN') ? ALLOW : deny('NOT_APPROVER', "Approving orders needs the company's APPROVER (or ADMIN) role.");
  },
  'company.register': (actor) =>
    has(actor, 'applicant') && actor.principal.customerId === null
      ? ALLOW
      : deny(
          'NOT_APPLICANT',
          'Registering a company needs the token of a signed-in user who belongs to no company yet (a subject, and no customerId or role claims).',
        ),
  'companyApplication.review': opsOnly('Reviewing company registrations needs the ops role.'),
  // A quote is an order in the making: who may order for the customer asks for, and answers, one.
  'quote.request': (actor, resource) => RULES['order.place'](actor, resource),
  'quote.read': (actor, resource) => RULES['order.read'](actor, resource),
  'quote.respond': (actor, resource) => RULES['order.place'](actor, resource),
  'return.request': (actor, resource) => RULES['order.place'](actor, resource),
  'return.read': (actor, resource) => RULES['order.read'](actor, resource),

  // Whatever customer the request names: the home lists the rep's own assignments, read from the ERP.
  'rep.home': (actor) =>
    has(actor, 'rep') && actor.principal.repId !== null
      ? ALLOW
      : deny('NOT_A_REP', "The rep home lists a sales rep's assigned customers: it needs a sales rep's token (role rep)."),
  // Whoever sees the customer's orders sees what they were billed (a PunchOut session too).
  'invoice.read': (actor, resource) => (has(actor, 'ops') || ofActingCustomer(actor, resource) ? ALLOW : otherCustomer(resource)),
};

/**
 * A buyer acts for their own company only, and a PunchOut session for its buyer's, exactly as a
 * buyer does. A sales rep acts for the customers the ERP assigns them. Operations act for any
 * customer they name (to manage its company account, e.g. designate its first admin; they do not
 * place its orders). A token of anyone else acts for no customer it names.
 */
function actForCustomer(actor: Actor, resource: Resource): Decision {
  const wanted = resource.customerId;
  if (wanted === null) return ALLOW; // none named: the request acts for `homeCustomer`
  const { principal } = actor;
  if ((has(actor, 'buyer') || has(actor, 'punchout')) && principal.customerId !== null) {
    if (wanted === principal.customerId) return ALLOW;
    if (!has(actor, 'rep')) return deny('NOT_OWN_CUSTOMER', `A buyer of ${principal.customerId} may not act for customer ${wanted}.`);
  }
  if (has(actor, 'ops')) return ALLOW;
  if (has(actor, 'rep') && principal.repId !== null) {
    const assigned = actor.repCustomers;
    if (assigned === undefined) return { verdict: 'needs-rep-customers', repId: principal.repId };
    if (assigned === 'unknown-rep') return deny('UNKNOWN_REP', `Sales rep ${principal.repId} does not exist in the ERP.`);
    return assigned.includes(wanted) ? ALLOW : deny('NOT_ASSIGNED', `Customer ${wanted} is not assigned to sales rep ${principal.repId}.`);
  }
  return deny('NO_CUSTOMER_ACCESS', `This token may not act for customer ${wanted}.`);
}

/** Decides whether `actor` may take `action` on `resource`. Pure: the same input, the same answer. */
export function can(actor: Actor, action: Action, resource: Resource): Decision {
  return RULES[action](actor, resource);
}

/**
 * The customer a request acts for when it names none: a buyer's (or a PunchOut session's) own;
 * none for a sales rep, who must name one; otherwise whatever customer the token carries.
 */
export function homeCustomer(principal: Principal): string | null {
  if ((principal.roles.has('buyer') || principal.roles.has('punchout')) && principal.customerId !== null) return principal.customerId;
  if (principal.roles.has('rep') && principal.repId !== null) return null;
  return principal.customerId;
}
