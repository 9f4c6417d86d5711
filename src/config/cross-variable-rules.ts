/**
 * The rules that span several environment variables: checks one variable alone cannot make (a
 * Tryton connector needs its URL and login, a JWKS needs issuer and audience, …) and the defaults
 * that depend on other variables. Kept apart from the schema in env.ts, which says what each
 * variable may hold.
 *
 * @module
 */
import type { z } from 'zod';
import type { Env, EnvVariables } from './env.ts';

/** Every check across variables, run after each variable alone has been read (as the schema's refinement). */
export function checkAcrossVariables(env: EnvVariables, ctx: z.RefinementCtx): void {
  if (env.ERP_CONNECTOR === 'tryton') {
    // The sandbox has a default address and no login; a real ERP has neither.
    const needs = {
      ERP_URL: 'the Tryton database URL, e.g. http://127.0.0.1:8000/demo/',
      ERP_USERNAME: "the Tryton user's login",
      ERP_PASSWORD: "the Tryton user's password",
    } as const;
    for (const [name, what] of Object.entries(needs)) {
      if (!env[name as keyof typeof needs]) ctx.addIssue({ code: 'custom', path: [name], message: `required with ERP_CONNECTOR=tryton: ${what}` });
    }
  }
  if (env.MAX_SKUS_PER_REQUEST !== undefined && env.MAX_SKUS_PER_REQUEST < env.MAX_SKUS_PER_QUERY) {
    ctx.addIssue({
      code: 'custom',
      path: ['MAX_SKUS_PER_REQUEST'],
      message: `expected at least MAX_SKUS_PER_QUERY (${env.MAX_SKUS_PER_QUERY}): one products call may ask for that many`,
    });
  }
  if (env.ERP_MAX_REQUEST_SECONDS * 1000 < env.ERP_TIMEOUT_MS) {
    ctx.addIssue({
      code: 'custom',
      path: ['ERP_MAX_REQUEST_SECONDS'],
      message: `expected at least ERP_TIMEOUT_MS (${env.ERP_TIMEOUT_MS} ms): the ERP keeps working on a request at least as long as erpfront waits for it`,
    });
  }
  if (env.ERP_UNIQUE_EXTERNAL_REFS && env.ERP_CONNECTOR === 'tryton') {
    ctx.addIssue({ code: 'custom', path: ['ERP_UNIQUE_EXTERNAL_REFS'], message: 'Tryton does not refuse a second sale with one reference: leave it false' });
  }
  if (env.TRUSTED_DOCUMENTS === 'only' && !env.TRUSTED_DOCUMENTS_FILE) {
    ctx.addIssue({
      code: 'custom',
      path: ['TRUSTED_DOCUMENTS'],
      message: "only needs TRUSTED_DOCUMENTS_FILE: the storefront build's documents, the only ones buyers may run",
    });
  }
  if (env.AUTH_JWKS_URL) checkJwks(env, ctx);
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT && env.OTEL_EXPORTER_OTLP_PROTOCOL !== undefined && env.OTEL_EXPORTER_OTLP_PROTOCOL !== 'http/json') {
    ctx.addIssue({
      code: 'custom',
      path: ['OTEL_EXPORTER_OTLP_PROTOCOL'],
      message: 'expected http/json or unset: erpfront exports OTLP over HTTP with JSON bodies, which collectors accept on their OTLP/HTTP port (4318)',
    });
  }
  if (env.ERP_WEBHOOK_SECRET) checkWebhookSecrets(env.ERP_WEBHOOK_SECRET, ctx);
  if (env.PRICE_SHEET_REFRESH_MINUTES > env.PRICE_SHEET_MAX_AGE_HOURS * 60) {
    ctx.addIssue({
      code: 'custom',
      path: ['PRICE_SHEET_REFRESH_MINUTES'],
      message: `expected at most PRICE_SHEET_MAX_AGE_HOURS (${env.PRICE_SHEET_MAX_AGE_HOURS} h): prices refreshed less often than they are kept would lapse between passes`,
    });
  }
  if (env.NODE_ENV === 'production' && !env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_JWT_SECRET'],
      message: 'required in production (or AUTH_JWKS_URL): erpfront will not invent a signing secret there',
    });
  }
}

/**
 * Defaults that depend on other variables: development aids a public deployment does not serve
 * unless asked to (GraphiQL, introspection), the payment gateway, the request's total of SKUs.
 */
export function withProductionDefaults<
  T extends {
    NODE_ENV: string;
    GRAPHIQL?: boolean | undefined;
    GRAPHQL_INTROSPECTION?: boolean | undefined;
    ERP_CONNECTOR: string;
    PAYMENT_GATEWAY?: 'sandbox' | 'none' | undefined;
    MAX_SKUS_PER_QUERY: number;
    MAX_SKUS_PER_REQUEST?: number | undefined;
  },
>(env: T) {
  const development = env.NODE_ENV !== 'production';
  return {
    ...env,
    MAX_SKUS_PER_REQUEST: env.MAX_SKUS_PER_REQUEST ?? 2 * env.MAX_SKUS_PER_QUERY,
    GRAPHIQL: env.GRAPHIQL ?? development,
    GRAPHQL_INTROSPECTION: env.GRAPHQL_INTROSPECTION ?? development,
    // The sandbox ERP brings the sandbox gateway; a real ERP needs its gateway named.
    PAYMENT_GATEWAY: env.PAYMENT_GATEWAY ?? (env.ERP_CONNECTOR === 'sandbox' ? 'sandbox' : 'none'),
  };
}

/**
 * An identity provider signs tokens for many APIs, so its tokens must name this one (audience) and
 * come from the expected issuer; its keys are fetched over https, except from loopback in
 * development (the tests' own key server).
 */
function checkJwks(env: Pick<Env, 'AUTH_JWKS_URL' | 'AUTH_JWT_ISSUER' | 'AUTH_JWT_AUDIENCE' | 'NODE_ENV'>, ctx: z.RefinementCtx): void {
  if (!env.AUTH_JWT_ISSUER)
    ctx.addIssue({ code: 'custom', path: ['AUTH_JWT_ISSUER'], message: "required with AUTH_JWKS_URL: the identity provider's issuer (its tokens' iss claim)" });
  if (!env.AUTH_JWT_AUDIENCE)
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_JWT_AUDIENCE'],
      message: "required with AUTH_JWKS_URL: erpfront's audience at the identity provider (its tokens' aud claim)",
    });
  const url = new URL(env.AUTH_JWKS_URL!);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(env.NODE_ENV === 'development' && loopback && url.protocol === 'http:')) {
    ctx.addIssue({
      code: 'custom',
      path: ['AUTH_JWKS_URL'],
      message: 'expected an https:// URL (http:// only to 127.0.0.1 with NODE_ENV=development): signing keys fetched in the clear could be swapped',
    });
  }
}

/** Standard Webhooks secrets: `whsec_` and the base64 of at least 24 random bytes, each. */
function checkWebhookSecrets(value: string, ctx: z.RefinementCtx): void {
  webhookSecrets(value).forEach((secret, i) => {
    const key = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : '';
    const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(key) && key.length % 4 === 0 ? (key.length / 4) * 3 - (key.match(/=/g)?.length ?? 0) : 0;
    if (bytes < 24) {
      ctx.addIssue({
        code: 'custom',
        path: ['ERP_WEBHOOK_SECRET'],
        message: `secret ${i + 1}: expected whsec_ followed by the base64 of at least 24 random bytes (Standard Webhooks), as the ERP's webhook settings show it`,
      });
    }
  });
}

/** The secrets in ERP_WEBHOOK_SECRET, in order: several while a secret is being rotated. */
export function webhookSecrets(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter((s) => s !== '');
}
