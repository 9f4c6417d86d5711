/**
 * One span per GraphQL operation, from parsing to the result: `query CatalogPage`, a child of the
 * HTTP request's span and the parent of everything the resolvers cause (cache reads, ERP calls,
 * an order's placing).
 *
 * A small plugin over yoga's instrumentation rather than `@envelop/opentelemetry`: that package
 * builds its own tracer provider from the SDK (`sdk-trace-base` 1.x), which would put the SDK in
 * the core and in the Workers bundle, and its resolver spans (one per field: hundreds per
 * CatalogPage) cost more than they tell here. The operation's span is started around yoga's
 * handling (`instrumentation.operation`) so that the context it makes active is the one the
 * execution runs in, whatever engine executes (graphql-jit or graphql-js); it is named once the
 * document is known (`onExecute`).
 *
 * Attributes follow the semantic conventions for GraphQL (`graphql.operation.type`,
 * `graphql.operation.name`), plus the request id and how many errors the result carried with
 * their codes. The document and its variables are not recorded: they may carry what the buyer
 * typed.
 *
 * @module
 */
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { trace } from '@opentelemetry/api';
import { inSpan, SpanAttributes, spanFailed } from '../../../services/tracing.ts';
import type { GraphQLContext } from '../context.ts';

/**
 * The operation's span as this plugin makes it, for the paths that answer without the engine (a
 * response-cache hit, a learned query): `query <Name>`, its type, name and the request's id.
 */
export function inOperationSpan<T>(operationName: string | null, requestId: string | undefined, fn: () => Promise<T>): Promise<T> {
  return inSpan(operationName === null ? 'query' : `query ${operationName}`, {}, (span) => {
    if (span.isRecording()) {
      span.setAttribute('graphql.operation.type', 'query');
      if (operationName !== null) span.setAttribute('graphql.operation.name', operationName);
      if (requestId) span.setAttribute(SpanAttributes.requestId, requestId);
    }
    return fn();
  });
}

export function useTracing(): Plugin<Pick<GraphQLContext, 'requestId'>> {
  return {
    instrumentation: {
      operation: (_payload, wrapped) => inSpan('GraphQL Operation', {}, async () => void (await wrapped())),
    },
    onExecute({ args }) {
      const span = trace.getActiveSpan();
      if (!span?.isRecording()) return;
      const operation = getOperationAST(args.document, args.operationName);
      const type = operation?.operation ?? 'query';
      const name = operation?.name?.value;
      span.updateName(name === undefined ? type : `${type} ${name}`);
      span.setAttribute('graphql.operation.type', type);
      if (name !== undefined) span.setAttribute('graphql.operation.name', name);
      const requestId = args.contextValue.requestId;
      if (requestId) span.setAttribute(SpanAttributes.requestId, requestId);
      return {
        onExecuteDone({ result }) {
          // A stream (subscriptions, @defer) has no single result; erpfront serves neither.
          if (!('errors' in result) || !result.errors?.length) return;
          const codes = [...new Set(result.errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          span.setAttribute('erpfront.graphql.errors', result.errors.length);
          span.setAttribute('erpfront.graphql.error_codes', codes);
          spanFailed(span, Object.assign(new Error(`${result.errors.length} error(s) in the result: ${codes.join(', ')}`), { code: codes[0] }));
        },
      };
    },
  };
}
