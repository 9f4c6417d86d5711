/**
 * The Node lane of `POST /graphql`: the GraphQL requests a storefront sends all day (a JSON body
 * of a few KB with a bearer token) are taken straight from node:http, without the web `Request`
 * and `Response` that hono's Node adapter builds around each one and without the middleware
 * chain's promises. A page from the response cache is mostly that overhead (README "Speed").
 *
 * Every rule still applies, from the same code as on the hono path: the load shedder admits or
 * refuses (`load-shedding.ts`), the request runs in its server span (`request-trace.ts`) with its
 * id and log line (`request-log.ts`), and the endpoint's own steps (`graphql-requests.ts`) admit
 * it and answer it, or hand it to the GraphQL engine. An unexpected failure is logged and
 * answered 500, as hono's error handler does. Anything else (GET, other paths, chunked or larger
 * bodies, a client that takes compressed answers while compression is on) goes to hono as before.
 *
 * @module
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { loggableError } from '../../domain/loggable-error.ts';
import { acceptsCompression } from '../http/accepts-compression.ts';
import { unexpectedErrorResponse } from '../http/error-response.ts';
import { FAST_BODY_BYTES, lendParsedBody, readBody, type GraphQLRequestFrame, type GraphQLRequests } from '../http/graphql-requests.ts';
import type { LoadShedder } from '../http/load-shedding.ts';
import { classifyGraphQLBody } from '../http/request-class.ts';
import { REQUEST_ID_HEADER, requestBoundLogger, requestIdFrom, writeRequestLine, type GraphQLFacts, type RequestLogOptions } from '../http/request-log.ts';
import { inServerSpan } from '../http/request-trace.ts';
import { outgoingAnswer, outgoingResponse, type Outgoing } from './write-answer.ts';

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface GraphQLLaneOptions {
  requests: GraphQLRequests;
  /** The process's shedder, shared with the hono middleware; absent: nothing is shed. */
  shedder?: LoadShedder;
  /** The request log's options: the logger every line goes to, and who is told of a 500. */
  log: RequestLogOptions;
  /** Largest request body accepted (the lane takes those up to FAST_BODY_BYTES within it). */
  maxBodyBytes: number;
  /** Whether answers are compressed for clients that accept it (then those go to hono, which compresses). */
  compress: boolean;
}

/** A node:http listener taking the requests it serves and handing every other to `next`. */
export function graphqlLane(options: GraphQLLaneOptions, next: NodeListener): NodeListener {
  const maxBytes = Math.min(FAST_BODY_BYTES, options.maxBodyBytes);
  return function graphqlLane(req, res) {
    const headers = req.headers;
    if (req.method !== 'POST' || req.url !== '/graphql' || headers.authorization === undefined || headers['transfer-encoding'] !== undefined)
      return next(req, res);
    if (options.compress && acceptsCompression(headers['accept-encoding'])) return next(req, res);
    const view = headerView(headers);
    const length = Number(headers['content-length']);
    const mediaType = length <= maxBytes ? options.requests.fastMediaType({ header: view.get }) : null;
    if (mediaType === null) return next(req, res);
    const started = performance.now();
    readText(req)
      .then(
        (text) => serve(options, req, res, view, text, mediaType, started),
        // The client went away mid-body: there is nobody to answer.
        () => req.destroy(),
      )
      .catch((error: unknown) => {
        // Only what failed outside the request's own handling (serve answers and logs the rest).
        options.log.logger.error('unexpected error', { err: loggableError(error) });
        res.destroy();
      });
  };
}

/** A request's headers as fetch `Headers` reads go (`get`, `has`, `keys`), over node's own object. */
function headerView(headers: IncomingHttpHeaders) {
  return {
    get(name: string): string | null {
      const value = headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    has: (name: string) => headers[name] !== undefined,
    keys: () => Object.keys(headers)[Symbol.iterator](),
  };
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    // Closed before its end (the client went away): no 'error' is promised then.
    req.on('close', () => (req.complete ? undefined : reject(new Error('the request was closed before its body ended'))));
  });
}

async function serve(
  options: GraphQLLaneOptions,
  req: IncomingMessage,
  res: ServerResponse,
  view: ReturnType<typeof headerView>,
  text: string,
  mediaType: string,
  started: number,
): Promise<void> {
  const { shedder, requests } = options;
  // Already read, so telling a request's class under pressure costs no wait.
  if (shedder && !(shedder.admit('/graphql', view, () => classifyGraphQLBody(text)) as boolean)) {
    await outgoingResponse(res, shedder.refusal(), null).send();
    return;
  }
  let status = 500;
  const reqId = requestIdFrom(view.get(REQUEST_ID_HEADER));
  try {
    await inServerSpan(
      'POST',
      view,
      async () => {
        const log = requestBoundLogger(options.log.logger, reqId);
        const facts: GraphQLFacts = {};
        let outgoing: Outgoing;
        try {
          outgoing = await answer(requests, { header: (name) => view.get(name), requestId: reqId, log, facts }, req, res, text, mediaType);
        } catch (error) {
          log.error('unexpected error', { err: loggableError(error) });
          outgoing = outgoingResponse(res, unexpectedErrorResponse(), reqId);
        }
        status = outgoing.status;
        writeRequestLine(options.log, log, { method: 'POST', path: '/graphql', status, started, reqId, graphql: facts });
        try {
          await outgoing.send();
        } catch (error) {
          // Sending failed midway (the client went away, or the engine's stream failed): the status is gone already.
          log.warn('answer not sent in full', { err: loggableError(error) });
          res.destroy();
        }
      },
      () => ({ path: '/graphql', route: '/graphql', scheme: 'http', status, requestId: reqId }),
    );
  } finally {
    shedder?.release();
  }
}

/** The answer to the request, ready to send. */
async function answer(
  requests: GraphQLRequests,
  frame: GraphQLRequestFrame,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
  mediaType: string,
): Promise<Outgoing> {
  const admission = await requests.admit(frame);
  if ('refusal' in admission) return outgoingResponse(res, admission.refusal, frame.requestId);
  const { context } = admission;
  const body = readBody(text);
  const known = await requests.answerKnown(context, body, mediaType);
  if (known) return outgoingAnswer(res, known);
  // The engine's turn: a web Request around the body already read, as the hono route hands it.
  // Not the client's Host header in the URL: whatever it holds must not fail the request (the
  // engine reads the path only).
  const request = lendParsedBody(new Request(ENGINE_URL, { method: 'POST', headers: webHeaders(req.headers), body: text }), body);
  return outgoingResponse(res, await requests.engine.handle(request, context), frame.requestId);
}

/** The URL of the requests the lane hands the engine. */
const ENGINE_URL = 'http://localhost/graphql';

function webHeaders(headers: IncomingHttpHeaders): Headers {
  const web = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) web.append(name, v);
    else web.set(name, value);
  }
  return web;
}
