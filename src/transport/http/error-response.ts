/**
 * Every error body erpfront answers outside GraphQL execution, built here: GraphQL-shaped for
 * failures decided before the GraphQL engine runs and for the other JSON routes (operations), so
 * a client reads every error the same way: `errors[0].extensions.code`; and the PunchOut session
 * endpoint's own shape. (cXML and OCI answer in their protocols' formats: a cXML Status, a page.)
 *
 * @module
 */

export function graphqlErrorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** The answer to a request for a path erpfront does not serve. */
export function notFoundResponse(): Response {
  return graphqlErrorResponse(404, 'NOT_FOUND', 'No such endpoint. GraphQL is served at /graphql.');
}

/** The answer to a failure nobody expected: the code only; the failure itself goes to the log. */
export function unexpectedErrorResponse(): Response {
  return graphqlErrorResponse(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error; it has been logged.');
}

/**
 * The error body of `POST /punchout/session`, which a storefront calls outside GraphQL:
 * `{"error": {"code", "message"}}`, never cached (it answers for a one-time token).
 */
export function punchOutSessionErrorResponse(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message } }), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

/** The code of each refusal an HTTP middleware may decide on its own, by status. */
const REFUSAL_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'REQUEST_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

/**
 * The answer to a refusal thrown by HTTP middleware (hono's `HTTPException`, e.g. its body limit
 * over a route's own limit): the status it chose, with a code and a message, never a 500.
 */
export function refusalResponse(status: number): Response {
  const message = status === 413 ? 'The request body is larger than this endpoint accepts.' : `The request was refused (HTTP ${status}).`;
  return graphqlErrorResponse(status, REFUSAL_CODES[status] ?? 'BAD_REQUEST', message);
}

/**
 * A `Retry-After` value (RFC 9110 §10.2.3: whole seconds) for a wait of `ms`: rounded up, so a
 * client that waits exactly that long is never early, and at least 1.
 */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
