/**
 * GraphQL for a PunchOut session's storefront: read the session (with a pre-loaded cart for
 * edit/inspect), set the cart, and return it — which answers the auto-submitting form that posts
 * it to the procurement system. Only a PunchOut access token reaches these.
 *
 * @module
 */
import { GraphQLError } from 'graphql';
import type { PunchOutCartLine, PunchOutSession } from './domain/session.ts';
import { PunchOutRefusal, type PunchOutService } from './services/punchout-service.ts';
import type { GraphQLContext } from '../../transport/graphql/context.ts';
import { translated } from '../../transport/graphql/errors.ts';
import { OciFieldError } from './oci/oci-fields.ts';
import { buildReturn } from './http/return-form.ts';
import { sessionView } from './http/routes.ts';

function service(context: GraphQLContext): PunchOutService {
  const punchout = context.services.punchout;
  if (!punchout) throw new GraphQLError('PunchOut is not available on this deployment.', { extensions: { code: 'FORBIDDEN' } });
  return punchout;
}

async function currentSession(context: GraphQLContext): Promise<PunchOutSession> {
  const id = context.principal.punchOutSessionId;
  if (!id) throw new GraphQLError('This needs a PunchOut session token (from POST /punchout/session).', { extensions: { code: 'FORBIDDEN' } });
  const session = await service(context).deps.sessions.get(id);
  if (!session || session.state !== 'active')
    throw new GraphQLError('This PunchOut session has ended; start again from your procurement system.', { extensions: { code: 'PUNCHOUT_SESSION_CLOSED' } });
  return session;
}

const refusal = (error: unknown) =>
  error instanceof PunchOutRefusal || error instanceof OciFieldError ? { userErrors: [{ code: error.code, message: error.message, field: [] }] } : null;

export const PunchOutQueries = {
  punchOutSession: (_: unknown, __: unknown, context: GraphQLContext) =>
    translated(async () => (context.principal.punchOutSessionId ? sessionView(await currentSession(context)) : null)),
};

export const PunchOutMutations = {
  setPunchOutCart: (_: unknown, args: { lines: PunchOutCartLine[] }, context: GraphQLContext) =>
    translated(async () => {
      const session = await currentSession(context);
      try {
        return { session: sessionView(await service(context).setCart(session, args.lines)), userErrors: [] };
      } catch (error) {
        const known = refusal(error);
        if (known) return { session: sessionView(session), ...known };
        throw error;
      }
    }),

  returnPunchOutCart: (_: unknown, __: unknown, context: GraphQLContext) =>
    translated(async () => {
      const session = await currentSession(context);
      const punchout = service(context);
      try {
        const { cart, built } = await punchout.returnCart(context, session, (buyer, priced, returned) =>
          buildReturn(buyer, returned, priced, punchout.deps.clock.now()),
        );
        return {
          html: built.html,
          action: built.form.action,
          target: built.form.target,
          fields: built.form.fields.map(([name, value]) => ({ name, value })),
          total: cart.total,
          lines: cart.lines.map((l) => ({
            sku: l.sku,
            quantity: l.quantity,
            unitPrice: l.unitPrice,
            unitOfMeasure: l.unitOfMeasure,
            leadTimeDays: l.leadTimeDays,
          })),
          userErrors: [],
        };
      } catch (error) {
        const known = refusal(error);
        if (known) return { html: null, action: null, target: null, fields: [], total: null, lines: [], ...known };
        throw error;
      }
    }),
};

/**
 * Wraps order mutations so a PunchOut session cannot place or cancel orders itself: its cart goes
 * back to the procurement system, whose approval workflow then sends the OrderRequest.
 */
export function refusingPunchOut<T extends Record<string, (parent: unknown, args: never, context: GraphQLContext) => unknown>>(mutations: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, resolve] of Object.entries(mutations)) {
    wrapped[name] = (parent: unknown, args: never, context: GraphQLContext) => {
      if (context.principal.roles.has('punchout')) {
        throw new GraphQLError(
          `A PunchOut session cannot call ${name}: return the cart with returnPunchOutCart; the order arrives from the procurement system.`,
          { extensions: { code: 'FORBIDDEN' } },
        );
      }
      return resolve(parent, args, context);
    };
  }
  return wrapped as T;
}
