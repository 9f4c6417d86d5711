/**
 * A GraphQL answer as the fast path and the response cache build it: status, headers and the body
 * already encoded, with no web `Response` around it. Each transport writes it its own way: the
 * hono route wraps it in a `Response`, the Node lane (`transport/node/graphql-lane.ts`) writes it
 * to the socket as it is.
 *
 * @module
 */

export interface GraphQLAnswer {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** The JSON text, or its UTF-8 bytes: in one piece, or in pieces sent one after the other (kept parts are not copied into one). */
  body: string | Uint8Array | readonly Uint8Array[];
}

/** `answer`'s body in one piece (text or bytes). */
function bodyInOnePiece(answer: GraphQLAnswer): string | Uint8Array {
  const { body } = answer;
  return typeof body === 'string' || body instanceof Uint8Array ? body : Buffer.concat(body);
}

/** The answer as a web `Response` (the hono route's, and every runtime's but Node's lane). */
export function answerResponse(answer: GraphQLAnswer): Response {
  return new Response(bodyInOnePiece(answer) as BodyInit, { status: answer.status, headers: answer.headers });
}
