/**
 * GraphQL-shaped error responses for failures decided before the GraphQL engine runs, so a client
 * reads every error the same way: `errors[0].extensions.code`.
 *
 * @module
 */

export function graphqlErrorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
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
