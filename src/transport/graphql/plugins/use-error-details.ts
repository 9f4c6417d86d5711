/**
 * Clients get an error's code and a sentence of erpfront's; operations get the detail behind it.
 * Every answer carries an `X-Request-Id` (transport/http/request-log.ts: the client's own when it
 * sends a sane one, so a storefront can quote it), and each error whose detail was held back (an
 * ERP's raw text, an unexpected exception) is logged on the request's logger, under that id,
 * which the error also carries as `extensions.requestId`.
 *
 * @module
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { loggableError } from '../../../domain/loggable-error.ts';
import { untrustedField } from '../../../domain/untrusted-text.ts';
import type { GraphQLContext } from '../context.ts';
import { detailOf } from '../errors.ts';

export function useErrorDetails(): Plugin<Pick<GraphQLContext, 'requestId' | 'log'>> {
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result }) => {
        if (!('errors' in result) || !result.errors) return;
        const { requestId, log } = args.contextValue;
        for (const error of result.errors) {
          // Ours (errors.ts: an ERP's refusal or bad answer), or what yoga is about to mask as
          // INTERNAL_SERVER_ERROR (an exception nobody expected: an error, not a warning).
          const known = detailOf(error);
          const detail = known ?? (error.originalError && !(error.originalError instanceof GraphQLError) ? error.originalError : undefined);
          if (detail === undefined) continue;
          (error.extensions as Record<string, unknown>).requestId = requestId;
          const fields = {
            code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
            // Field names and the client's aliases: bounded.
            path: untrustedField(error.path?.join('.') ?? '(operation)', 200),
            // The ERP's own text, its addresses cut out; the client saw erpfront's sentence.
            err: loggableError(detail),
          };
          if (known === undefined) log.error('GraphQL resolver failed', fields);
          else log.warn('GraphQL error detail', fields);
        }
      },
    }),
  };
}
