/**
 * `npm start`: the bundled sandbox ERP and erpfront in one command, on 127.0.0.1, with GraphiQL
 * pre-filled with a demo token for customer C0001.
 *
 * It serves published demo buyers (their secrets are in the README) and hands a 12-hour buyer
 * token to whoever opens GraphiQL, so it refuses to listen where others can reach it and refuses
 * production mode: servers run `npm run serve`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { startSandboxErp } from '../sandbox-erp/server.ts';
import { ConfigError, parseEnv, type Env } from '../config/env.ts';
import { webhookSecrets } from '../config/cross-variable-rules.ts';
import { signToken } from '../../scripts/sign-token.ts';
import { signingSecret } from './dev-secret.ts';
import { main } from './node.ts';
import { DEMO_BUYERS } from '../features/punchout/buyer-organisations-config.ts';

/** True for names and addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || bare.toLowerCase() === '::ffff:127.0.0.1';
}

/** Why this environment must not run the development entry, or `null` when it may. */
function refusal(env: Env): string | null {
  const why = env.NODE_ENV === 'production' ? 'NODE_ENV=production' : isLoopbackHost(env.HOST) ? null : `HOST=${env.HOST} is reachable from other machines`;
  if (!why) return null;
  return (
    `erpfront: npm start is the development entry and refuses to run here (${why}): it serves the published demo ` +
    'PunchOut buyers and hands a 12-hour buyer token to anyone who opens GraphiQL. It listens on 127.0.0.1 only, outside production. ' +
    'To serve others, run `npm run serve` (erpfront alone: set AUTH_JWT_SECRET or AUTH_JWKS_URL, ERP_URL and PUNCHOUT_BUYERS_FILE).'
  );
}

let env: Env;
try {
  env = parseEnv(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`erpfront: ${error.message}`);
  process.exit(1);
}
const refused = refusal(env);
if (refused) {
  console.error(refused);
  process.exit(1);
}
// The sandbox announces its changes (POST /__control/changes) to erpfront's /erp/events, signed
// with a secret made for this run (or the first of ERP_WEBHOOK_SECRET), once erpfront listens.
const webhookSecret = webhookSecrets(env.ERP_WEBHOOK_SECRET)[0] ?? `whsec_${randomBytes(32).toString('base64')}`;
let webhook: { url: string; secret: string } | null = null;
const sandbox = await startSandboxErp({ port: env.SANDBOX_PORT, host: '127.0.0.1', seed: env.SANDBOX_SEED, webhook: () => webhook });
const token = await signToken({
  secret: signingSecret(env),
  customerId: 'C0001',
  roles: ['buyer'],
  issuer: env.AUTH_JWT_ISSUER,
  audience: env.AUTH_JWT_AUDIENCE,
});
const running = await main(
  // Log lines for a person at a terminal, unless LOG_FORMAT says otherwise.
  { ...process.env, ERP_URL: sandbox.url, LOG_FORMAT: process.env.LOG_FORMAT || 'pretty', ERP_WEBHOOK_SECRET: env.ERP_WEBHOOK_SECRET ?? webhookSecret },
  // The demo PunchOut buyers unless a buyers file is configured (README "PunchOut: setting up a buyer").
  {
    graphiqlHeaders: JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2),
    punchOutBuyers: process.env.PUNCHOUT_BUYERS_FILE ? undefined : DEMO_BUYERS,
  },
);
process.once('exit', () => void sandbox.close());
webhook = { url: `${running.url}/erp/events`, secret: webhookSecret };

console.log(`sandbox ERP: ${sandbox.url}  (faults: POST ${sandbox.url}/__control/faults, changes: POST ${sandbox.url}/__control/changes)`);
console.log(`changes:     the sandbox's change webhooks go to ${webhook.url}`);
console.log(`erpfront:    ${running.url}/graphql  (GraphiQL is pre-filled with a C0001 buyer token)`);
console.log(`token for C0001 (12 h): ${token}`);
console.log(`PunchOut:    cXML at ${running.url}/punchout/cxml, OCI at ${running.url}/punchout/oci (demo buyers: see the README)`);
console.log(`ops console: ${running.url}/ops  (log in with the token of: npm run token -- --ops)`);
