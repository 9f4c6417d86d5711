/**
 * Clients get an error's code and a sentence of erpfront's; operations get the detail behind it.
 * Every GraphQL answer carries an `X-Request-Id` (the client's own when it sends a sane one, so a
 * storefront can quote it), and each error whose detail was held back (an ERP's raw text, an
 * unexpected exception) is logged under that id, which the error also carries as
 * `extensions.requestId`.
 *
 * @module
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { detailOf } from '../errors.ts';

export interface ErrorDetailsOptions {
  /** Where details go; default `console.warn`. */
  log?: (message: string, detail: unknown) => void;
}

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The client's request id when it is one we can log and echo as it is, else a new one. */
function requestIdOf(request: Request): string {
  const sent = request.headers.get(REQUEST_ID_HEADER);
  return sent !== null && SANE_REQUEST_ID.test(sent) ? sent : crypto.randomUUID();
}

export function useErrorDetails(options: ErrorDetailsOptions = {}): Plugin<{ request: Request }> {
  const log = options.log ?? ((message, detail) => console.warn(message, detail));
  const ids = new WeakMap<Request, string>();
  return {
    onRequest({ request }) {
      ids.set(request, requestIdOf(request));
    },
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result }) => {
        if (!('errors' in result) || !result.errors) return;
        const id = ids.get(args.contextValue.request);
        for (const error of result.errors) {
          // Ours (errors.ts), or what yoga is about to mask as INTERNAL_SERVER_ERROR.
          const detail = detailOf(error) ?? (error.originalError && !(error.originalError instanceof GraphQLError) ? error.originalError : undefined);
          if (detail === undefined) continue;
          if (id) (error.extensions as Record<string, unknown>).requestId = id;
          log(
            `erpfront: request ${id ?? '(no id)'}: ${String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')} at ${error.path?.join('.') ?? '(operation)'}:`,
            detail,
          );
        }
      },
    }),
    onResponse({ request, response }) {
      const id = ids.get(request);
      if (id) response.headers.set(REQUEST_ID_HEADER, id);
    },
  };
}
