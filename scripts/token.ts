/**
 * `npm run token -- --customer C0001` prints a buyer token; `--rep R01` a sales-rep token;
 * `--ops` an operations token; `--applicant someone@example.com` the token of a signed-in user of
 * no company yet (who may register one). Signed with AUTH_JWT_SECRET, or the development secret in DATA_DIR.
 */
import { parseArgs } from 'node:util';
import { parseEnv } from '../src/config/env.ts';
import type { Role } from '../src/domain/principal.ts';
import { signingSecret } from '../src/entry/dev-secret.ts';
import { signToken } from './sign-token.ts';

const { values } = parseArgs({
  options: {
    customer: { type: 'string' },
    rep: { type: 'string' },
    ops: { type: 'boolean', default: false },
    applicant: { type: 'string' },
    hours: { type: 'string', default: '12' },
  },
});
if (!values.customer && !values.rep && !values.ops && !values.applicant) {
  console.error('usage: npm run token -- --customer C0001 | --rep R01 | --ops | --applicant someone@example.com  [--hours 12]');
  process.exit(2);
}
const roles: Role[] = [];
if (values.customer) roles.push('buyer');
if (values.rep) roles.push('rep');
if (values.ops) roles.push('ops');
if (values.applicant) roles.push('applicant');
const hours = Number(values.hours);
if (!Number.isFinite(hours) || hours <= 0) {
  console.error(`--hours must be a positive number, got ${values.hours}`);
  process.exit(2);
}
const env = parseEnv(process.env);
if (env.AUTH_JWKS_URL) {
  console.error('AUTH_JWKS_URL is set: tokens come from your identity provider, not from npm run token.');
  process.exit(2);
}
console.log(
  await signToken({
    secret: signingSecret(env),
    roles,
    customerId: values.customer,
    repId: values.rep,
    subject: values.applicant,
    ttlSeconds: hours * 3600,
    issuer: env.AUTH_JWT_ISSUER,
    audience: env.AUTH_JWT_AUDIENCE,
  }),
);
