/**
 * The payment gateway adapter for the sandbox gateway bundled with the sandbox ERP
 * (`/payments/v1`, see `src/sandbox-erp/payment-routes.ts`). A real processor (Stripe's
 * PaymentIntents, Adyen's authorisations) maps onto the same three checks: the authorization
 * exists and is live, for at least the amount, in the currency, for this customer.
 *
 * @module
 */
import Big from 'big.js';
import { z } from 'zod';
import { PaymentGatewayError, type PaymentGateway } from '../../ports/payment-gateway.ts';

const AuthorizationWire = z.object({
  reference: z.string(),
  amount: z.string().regex(/^\d+(\.\d+)?$/),
  currency: z.string(),
  customerId: z.string(),
  status: z.enum(['AUTHORIZED', 'VOIDED', 'EXPIRED', 'CAPTURED']),
});

export interface SandboxGatewayOptions {
  /** The sandbox's base URL, e.g. `http://127.0.0.1:8788`. */
  baseUrl: string;
  /** Per request. @default 5000 */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createSandboxPaymentGateway(options: SandboxGatewayOptions): PaymentGateway {
  const base = `${options.baseUrl.replace(/\/+$/, '')}/payments/v1/authorizations`;
  const timeoutMs = options.timeoutMs ?? 5000;
  const fetchImpl = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetchImpl(`${base}/${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new PaymentGatewayError('The payment gateway did not answer', { cause: error });
    }
  }

  return {
    name: 'sandbox',
    async verify(reference, check) {
      // A reference is an opaque token of the gateway's; anything else is not one of its authorizations.
      if (!/^[A-Za-z0-9_-]{1,128}$/.test(reference)) return { ok: false, refusal: 'UNKNOWN_AUTHORIZATION' };
      const response = await call(encodeURIComponent(reference));
      if (response.status === 404) {
        await response.body?.cancel();
        return { ok: false, refusal: 'UNKNOWN_AUTHORIZATION' };
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new PaymentGatewayError(`The payment gateway answered ${response.status}`);
      }
      const parsed = AuthorizationWire.safeParse(await response.json().catch(() => null));
      if (!parsed.success) throw new PaymentGatewayError('The payment gateway answered with an authorization erpfront cannot read');
      const authorization = parsed.data;
      if (authorization.status !== 'AUTHORIZED') return { ok: false, refusal: 'NOT_AUTHORIZED' };
      if (authorization.customerId !== check.customerId) return { ok: false, refusal: 'WRONG_CUSTOMER' };
      if (authorization.currency !== check.currency) return { ok: false, refusal: 'CURRENCY_MISMATCH' };
      if (new Big(authorization.amount).lt(check.amount)) return { ok: false, refusal: 'AMOUNT_TOO_LOW' };
      return { ok: true };
    },
    async void(reference) {
      const response = await call(`${encodeURIComponent(reference)}/void`, { method: 'POST' });
      await response.body?.cancel();
      if (!response.ok && response.status !== 404) throw new PaymentGatewayError(`The payment gateway answered ${response.status} to a void`);
    },
  };
}
