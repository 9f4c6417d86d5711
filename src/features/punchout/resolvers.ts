/**
 * GraphQL for a PunchOut session's storefront: read the session (with a pre-loaded cart for
 * edit/inspect), set the cart, and return it — which answers the auto-submitting form that posts
 * it to the procurement system. Only a PunchOut access token reaches these.
 *
 * @module
 */
import { DomainError } from '../../domain/errors.ts';
import type { PunchOutCartLine, PunchOutSession } from './domain/session.ts';
import { PunchOutRefusal, type PunchOutService } from './services/punchout-service.ts';
import type { GraphQLContext } from '../../transport/graphql/context.ts';
import { authorize } from '../../transport/graphql/guards.ts';
import { OciFieldError } from './oci/oci-fields.ts';
import { buildReturn } from './http/return-form.ts';
import { sessionView } from './http/routes.ts';

function service(context: GraphQLContext): PunchOutService {
  const punchout = context.services.punchout;
  if (!punchout) throw new DomainError('FORBIDDEN', 'PunchOut is not available on this deployment.');
  return punchout;
}

/** The session of the caller's PunchOut token, still active; the policy refuses any other caller. */
async function currentSession(context: GraphQLContext): Promise<PunchOutSession> {
  authorize(context, 'punchout.cart', { customerId: null });
  const id = context.principal.punchOutSessionId!;
  const session = await service(context).deps.sessions.get(id);
  if (!session || session.state !== 'active')
    throw new DomainError('PUNCHOUT_SESSION_CLOSED', 'This PunchOut session has ended; start again from your procurement system.');
  authorize(context, 'punchout.cart', { customerId: session.customerId, punchOutSessionId: session.id });
  return session;
}

const refusal = (error: unknown) =>
  error instanceof PunchOutRefusal || error instanceof OciFieldError ? { userErrors: [{ code: error.code, message: error.message, field: [] }] } : null;

export const PunchOutQueries = {
  punchOutSession: async (_: unknown, __: unknown, context: GraphQLContext) =>
    context.principal.punchOutSessionId ? sessionView(await currentSession(context)) : null,
};

export const PunchOutMutations = {
  setPunchOutCart: async (_: unknown, args: { lines: PunchOutCartLine[] }, context: GraphQLContext) => {
    const session = await currentSession(context);
    try {
      return { session: sessionView(await service(context).setCart(session, args.lines)), userErrors: [] };
    } catch (error) {
      const known = refusal(error);
      if (known) return { session: sessionView(session), ...known };
      throw error;
    }
  },

  returnPunchOutCart: async (_: unknown, __: unknown, context: GraphQLContext) => {
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
  },
};
