/**
 * What the inbound protections cost: the warm CatalogPage (48 SKUs) against two erpfront
 * processes alike but for them, in alternating rounds of one run. On: shape limits, request-wide
 * SKUs, cost and `extensions.cost` (QUERY_LIMITS), and the caller's bucket taken from and refunded
 * on every request (THROTTLE, with a bucket so large for the bench's one buyer that it is never
 * refused: the bench measures the work, not the refusals). Off: only the parser's token limit.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../scripts/sign-token.ts';
import { CATALOG_PAGE, skus } from '../test/support/stack.ts';
import { freePort, load, startServer, summarize, type Round } from './harness.ts';

export async function benchProtections(options: { rounds: number; seconds: number }) {
  const secret = randomBytes(32).toString('base64url');
  const [sandboxPort, onPort, offPort] = [await freePort(), await freePort(), await freePort()];
  const children = [];
  try {
    children.push(await startServer(['src/entry/sandbox.ts'], { SANDBOX_PORT: String(sandboxPort) }, /127\.0\.0\.1/));
    const erpfront = (port: number, limits: boolean) =>
      startServer(
        ['src/entry/node.ts'],
        {
          PORT: String(port),
          ERP_URL: `http://127.0.0.1:${sandboxPort}`,
          AUTH_JWT_SECRET: secret,
          DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-bench-')),
          QUERY_LIMITS: String(limits),
          // Every request runs: the protections' cost is measured on the work they guard.
          RESPONSE_CACHE: 'false',
          THROTTLE: limits ? 'on' : 'off',
          THROTTLE_LIMITS: JSON.stringify({ customers: { C0001: { capacity: 1e12, restorePerSecond: 1e12 } } }),
        },
        /GraphQL at/,
      );
    children.push(await erpfront(onPort, true), await erpfront(offPort, false));

    const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
    const body = JSON.stringify({ query: CATALOG_PAGE, variables: { skus: skus(48), quantity: 1 } });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const [onUrl, offUrl] = [onPort, offPort].map((port) => `http://127.0.0.1:${port}/graphql`) as [string, string];
    const first = await (await fetch(onUrl, { method: 'POST', headers, body })).json();
    if (first.errors || !first.extensions?.cost?.throttleStatus)
      throw new Error(`CatalogPage with limits on failed: ${JSON.stringify(first.errors ?? first.extensions)}`);
    const off = await (await fetch(offUrl, { method: 'POST', headers, body })).json();
    if (off.errors || off.extensions?.cost) throw new Error(`CatalogPage with limits off failed: ${JSON.stringify(off.errors ?? off.extensions)}`);
    // Both warm: the cost of a page is the protections' own, not the ERP's.
    const warm = (await (await fetch(onUrl, { method: 'POST', headers, body })).json()).extensions.cost;

    const onRounds: Round[] = [];
    const offRounds: Round[] = [];
    for (let i = 0; i < options.rounds; i++) {
      onRounds.push(await load(onUrl, { headers, body }, options.seconds));
      offRounds.push(await load(offUrl, { headers, body }, options.seconds));
    }
    const on = summarize(onRounds);
    const offSummary = summarize(offRounds);
    return { on, off: offSummary, overhead: 1 - on.rps / offSummary.rps, cost: warm as { requestedQueryCost: number; actualQueryCost: number } };
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
}
