/**
 * `npm start`: the bundled sandbox ERP and erpfront in one command, on 127.0.0.1, with GraphiQL
 * pre-filled with a demo token for customer C0001.
 *
 * @module
 */
import { startSandboxErp } from '../sandbox-erp/server.ts';
import { parseEnv } from '../config/env.ts';
import { signToken } from '../../scripts/sign-token.ts';
import { signingSecret } from './dev-secret.ts';
import { main } from './node.ts';
import { DEMO_BUYERS } from '../config/buyer-organisations.ts';

const env = parseEnv(process.env);
const sandbox = await startSandboxErp({ port: env.SANDBOX_PORT, host: '127.0.0.1', seed: env.SANDBOX_SEED });
const token = await signToken({ secret: signingSecret(env), customerId: 'C0001', roles: ['buyer'] });
const running = await main(
  { ...process.env, ERP_URL: sandbox.url },
  // The demo PunchOut buyers unless a buyers file is configured (README "PunchOut: setting up a buyer").
  { graphiqlHeaders: JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2), punchOutBuyers: process.env.PUNCHOUT_BUYERS_FILE ? undefined : DEMO_BUYERS },
);
process.once('exit', () => void sandbox.close());

console.log(`sandbox ERP: ${sandbox.url}  (faults: POST ${sandbox.url}/__control/faults)`);
console.log(`erpfront:    ${running.url}/graphql  (GraphiQL is pre-filled with a C0001 buyer token)`);
console.log(`token for C0001 (12 h): ${token}`);
console.log(`PunchOut:    cXML at ${running.url}/punchout/cxml, OCI at ${running.url}/punchout/oci (demo buyers: see the README)`);
