/**
 * Writing answers to a node:http response: a GraphQL answer as it was built (its text or bytes,
 * its headers), and any web `Response` (a refusal, the engine's answer) with the request's id.
 * Each is prepared first and sent afterwards, so that the request's log line is written before
 * the client has the answer (as on the hono path): whoever reads the log after the answer finds it.
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { GraphQLAnswer } from '../graphql/answer.ts';
import { REQUEST_ID_HEADER } from '../http/request-log.ts';

/** An answer ready to go: its status, and what sends it. */
export interface Outgoing {
  status: number;
  send(): void | Promise<void>;
}

/** `answer` (its headers carry the request id), ready to send. */
export function outgoingAnswer(res: ServerResponse, answer: GraphQLAnswer): Outgoing {
  return {
    status: answer.status,
    send() {
      // Encoded here rather than by node:http: given a string, it joins the head and the body
      // into one string first and encodes that (measured: 13% fewer answers a second for a page).
      const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
      if (body instanceof Uint8Array) {
        res.writeHead(answer.status, { ...answer.headers, 'content-length': body.byteLength });
        res.end(body);
        return;
      }
      // In pieces (a response-cache hit: its kept parts and the live ones): node:http corks the
      // socket for the writes of one turn, so they go out in one writev, with no copy made.
      let length = 0;
      for (const piece of body) length += piece.byteLength;
      res.writeHead(answer.status, { ...answer.headers, 'content-length': length });
      for (let i = 0; i < body.length - 1; i++) res.write(body[i]);
      res.end(body[body.length - 1]);
    },
  };
}

/**
 * `response` ready to send, its body streamed as it comes, with `X-Request-Id: requestId` unless
 * `null` (a refusal before the request had an id).
 */
export function outgoingResponse(res: ServerResponse, response: Response, requestId: string | null): Outgoing {
  return {
    status: response.status,
    async send() {
      const headers: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        headers[name] = name === 'set-cookie' ? response.headers.getSetCookie() : value;
      });
      if (requestId !== null) headers[REQUEST_ID_HEADER] = requestId;
      res.writeHead(response.status, headers);
      if (response.body === null) {
        res.end();
        return;
      }
      for await (const chunk of response.body) {
        if (res.destroyed) break;
        // Backpressure: a slow reader of a long answer holds the stream, not erpfront's memory.
        if (!res.write(chunk)) await new Promise((resolve) => (res.once('drain', resolve), res.once('close', resolve)));
      }
      res.end();
    },
  };
}
