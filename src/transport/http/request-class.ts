/**
 * What a request is worth keeping when erpfront is saturated, decided before any of its work is
 * done: from its path and headers, and for `/graphql` from a bounded peek at its operation.
 *
 * - `essential`: order placement and every other mutation, order status (`order`, `orders`,
 *   `orderQueue`), and the operations endpoints (`/healthz`, `/readyz`, `/metrics`, `/ops/*`).
 *   Kept: a buyer who retries an order is a buyer who may leave, and an orchestrator that cannot
 *   read `/healthz` restarts a process that is merely busy.
 * - `catalog`: catalog reads (`products`, `product`, `searchProducts`) and anonymous requests
 *   (no `Authorization`): the cheapest to retry, a page reload. Shed first.
 * - `read`: everything else (`viewer`, a PunchOut message, a document that could not be told
 *   apart). Shed next.
 *
 * Nothing is trusted that a client could dress up: the document is read with GraphQL's own lexer,
 * so a comment or a string saying `mutation` is not one; only what is proven essential is; a
 * document that cannot be read (too long, a syntax error, a persisted-query id, a batch) is
 * `read`. A mislabelled request can only get what its class gets, and the bound on requests in
 * flight holds whatever the class.
 *
 * @module
 */
import { Lexer, Source, TokenKind } from 'graphql';
import { LRUCache } from 'lru-cache';

export type RequestClass = 'essential' | 'read' | 'catalog';

/** Root fields that read orders: what a buyer checks after placing one, and what ops watch. */
const ORDER_FIELDS = new Set(['order', 'orders', 'orderQueue', 'ordersAwaitingApproval', '__typename']);
/** Root fields that read the catalog: a page of products, prices and stock. */
const CATALOG_FIELDS = new Set(['products', 'product', 'searchProducts']);

/** Bodies larger than this are not read to be classified (they are `read`); an order of 200 lines is about 20 KB. */
export const PEEK_MAX_BYTES = 64 * 1024;
/** Documents longer than this many tokens are not classified (the parser's own limit refuses far shorter ones). */
const PEEK_MAX_TOKENS = 10_000;

/** The class of a request from its path and headers alone; `null` for `/graphql` with a token, whose operation decides. */
export function classifyByRoute(path: string, headers: Pick<Headers, 'has'>): RequestClass | null {
  if (path === '/healthz' || path === '/readyz' || path === '/metrics' || path === '/ops' || path.startsWith('/ops/')) return 'essential';
  // PunchOut messages authenticate in their body (cXML shared secret, a start token): not anonymous.
  if (path.startsWith('/punchout/')) return 'read';
  if (!headers.has('authorization')) return 'catalog';
  return path === '/graphql' ? null : 'read';
}

/** A GraphQL request's class, and its body when it was read to tell (hand it on with {@link withBody}). */
export interface ClassifiedGraphQL {
  requestClass: RequestClass;
  /** The body, read; `null` when it was left unread. */
  body: string | null;
}

/**
 * The class of a GraphQL request from its operation. Reads a POST body only when it declares a
 * length of at most {@link PEEK_MAX_BYTES}, and returns it: the request's own body is used up.
 */
export async function classifyGraphQL(request: Request): Promise<ClassifiedGraphQL> {
  if (request.method === 'GET') {
    const url = new URL(request.url);
    const query = url.searchParams.get('query');
    return { requestClass: query === null ? 'read' : classifyDocument(query, url.searchParams.get('operationName')), body: null };
  }
  const length = Number(request.headers.get('content-length') ?? NaN);
  const type = request.headers.get('content-type') ?? '';
  if (request.method !== 'POST' || request.headers.has('transfer-encoding') || !(length >= 0 && length <= PEEK_MAX_BYTES) || !type.includes('json')) {
    return { requestClass: 'read', body: null };
  }
  const body = await request.text();
  return { requestClass: classifyGraphQLBody(body), body };
}

/** The class of a GraphQL POST from its JSON body (`read` when it cannot be told). */
export function classifyGraphQLBody(body: string): RequestClass {
  let params: unknown;
  try {
    params = JSON.parse(body);
  } catch {
    return 'read';
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return 'read';
  const { query, operationName } = params as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return 'read';
  return classifyDocument(query, typeof operationName === 'string' ? operationName : null);
}

/**
 * A copy of `request` carrying `body`, which `classifyGraphQL` read: what the GraphQL route reads
 * as usual. Built only for a request that is admitted (a web `Request` is not cheap to build).
 */
export function withBody(request: Request, body: string): Request {
  return new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal });
}

/**
 * Documents already scanned: a surge sends the same few documents over and over, and telling them
 * apart must cost less than answering them. Bounded by count and by the documents' total length.
 */
const scanned = new LRUCache<string, Operation[]>({ max: 1000, maxSize: 4 * 1024 * 1024, sizeCalculation: (_, document) => document.length + 1 });

interface Operation {
  name: string | null;
  kind: 'query' | 'mutation' | 'subscription';
  rootFields: Set<string>;
  /** A fragment at the root: its fields are not known without resolving it. */
  opaque: boolean;
}

/**
 * The class of the operation a document runs (by `operationName`, or its only operation), from a
 * scan of its tokens: operation keywords and root field names, nothing parsed into a tree.
 */
export function classifyDocument(document: string, operationName: string | null): RequestClass {
  let operations = scanned.get(document);
  if (!operations) {
    try {
      operations = scanOperations(document);
    } catch {
      operations = []; // a syntax error or too long: yoga refuses it, or it is simply not proven essential
    }
    scanned.set(document, operations);
  }
  const chosen = operationName === null ? (operations.length === 1 ? operations[0] : undefined) : operations.find((o) => o.name === operationName);
  if (!chosen) return 'read';
  if (chosen.kind === 'mutation') return 'essential';
  if (chosen.kind !== 'query') return 'read';
  if (chosen.opaque) return 'read';
  const fields = [...chosen.rootFields];
  if (fields.some((f) => CATALOG_FIELDS.has(f))) return 'catalog';
  if (fields.length > 0 && fields.every((f) => ORDER_FIELDS.has(f))) return 'essential';
  return 'read';
}

/** The document's operations and their root fields; fragment definitions are skipped. Throws on a syntax error or past the token bound. */
function scanOperations(document: string): Operation[] {
  const lexer = new Lexer(new Source(document));
  const operations: Operation[] = [];
  let current: Operation | null = null; // the operation whose selection set is open; null in a fragment or between definitions
  let braces = 0;
  let parens = 0;
  let tokens = 0;
  let expectName = false; // just after `query`/`mutation`: the next name is the operation's
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
    if (++tokens > PEEK_MAX_TOKENS) throw new Error('too many tokens to classify');
    // Arguments and variable definitions may hold input objects in braces: they are no selections.
    if (token.kind === TokenKind.PAREN_L) parens++;
    else if (token.kind === TokenKind.PAREN_R && --parens < 0) throw new Error('unbalanced document');
    if (parens > 0 || token.kind === TokenKind.PAREN_R) continue;
    if (braces === 0) {
      if (token.kind !== TokenKind.NAME && token.kind !== TokenKind.BRACE_L) expectName = false; // `query @directive {`
      if (token.kind === TokenKind.NAME && (token.value === 'query' || token.value === 'mutation' || token.value === 'subscription') && current === null) {
        current = { name: null, kind: token.value, rootFields: new Set(), opaque: false };
        operations.push(current);
        expectName = true;
      } else if (token.kind === TokenKind.NAME && token.value === 'fragment') {
        current = null;
      } else if (token.kind === TokenKind.NAME && expectName && current) {
        current.name = token.value;
        expectName = false;
      } else if (token.kind === TokenKind.BRACE_R) {
        throw new Error('unbalanced document');
      } else if (token.kind === TokenKind.BRACE_L) {
        // `{ … }` alone is a query; after `fragment X on T` it is the fragment's (current is null).
        if (current === null && lexer.lastToken.kind !== TokenKind.NAME) {
          current = { name: null, kind: 'query', rootFields: new Set(), opaque: false };
          operations.push(current);
        }
        braces = 1;
        expectName = false;
      }
      continue;
    }
    if (token.kind === TokenKind.BRACE_L) braces++;
    else if (token.kind === TokenKind.BRACE_R) {
      if (--braces === 0) current = null;
    } else if (braces === 1 && current) {
      if (token.kind === TokenKind.SPREAD) current.opaque = true;
      else if (token.kind === TokenKind.NAME && lexer.lastToken.kind !== TokenKind.AT && lexer.lookahead().kind !== TokenKind.COLON) {
        // A name that is neither an alias (`alias: field`) nor a directive's (`@include`) is a root field.
        current.rootFields.add(token.value);
      }
    }
  }
  if (braces !== 0 || parens !== 0) throw new Error('unbalanced document');
  return operations;
}
