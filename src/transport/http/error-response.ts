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
