/**
 * The warm CatalogPage (48 SKUs) under load: erpfront against a bare graphql-yoga endpoint
 * answering the same page from memory, in alternating rounds of one run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { signToken } from '../scripts/sign-token.ts';
import { CATALOG_PAGE, skus } from '../test/support/stack.ts';
import { freePort, load, startServer, summarize, type Round } from './harness.ts';

export async function benchCatalogPage(options: { rounds: number; seconds: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'erpfront-bench-'));
  const secret = randomBytes(32).toString('base64url');
  const [sandboxPort, erpfrontPort, barePort, jitPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const children = [];
  try {
    children.push(await startServer(['src/entry/sandbox.ts'], { SANDBOX_PORT: String(sandboxPort) }, /127\.0\.0\.1/));
    children.push(
      await startServer(
        ['src/entry/node.ts'],
        {
          PORT: String(erpfrontPort),
          ERP_URL: `http://127.0.0.1:${sandboxPort}`,
          AUTH_JWT_SECRET: secret,
          DATA_DIR: dir,
          // One caller flat out is a flood by design: throttling off, so this measures erpfront's own work.
          THROTTLE: 'off',
        },
        /GraphQL at/,
      ),
    );

    const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0001' });
    const body = JSON.stringify({ query: CATALOG_PAGE, variables: { skus: skus(48), quantity: 1 } });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const erpfrontUrl = `http://127.0.0.1:${erpfrontPort}/graphql`;
    const first = await (await fetch(erpfrontUrl, { method: 'POST', headers, body })).json();
    if (first.errors) throw new Error(`CatalogPage failed: ${JSON.stringify(first.errors)}`);

    const dataFile = join(dir, 'page.json');
    writeFileSync(dataFile, JSON.stringify(first.data));
    children.push(await startServer(['bench/bare-yoga.ts', dataFile, String(barePort)], {}, /bare yoga on/));
    children.push(await startServer(['bench/bare-yoga.ts', dataFile, String(jitPort), '--jit'], {}, /bare yoga \+ jit/));
    const bareUrl = `http://127.0.0.1:${barePort}/graphql`;
    const jitUrl = `http://127.0.0.1:${jitPort}/graphql`;
    const answers = await Promise.all([bareUrl, jitUrl].map(async (url) => (await fetch(url, { method: 'POST', headers, body })).json()));
    const sameAnswer = answers.every((answer) => isDeepStrictEqual(answer.data, first.data));
    const bytes = Buffer.byteLength(JSON.stringify(first));

    const erpfrontRounds: Round[] = [];
    const bareRounds: Round[] = [];
    const jitRounds: Round[] = [];
    for (let i = 0; i < options.rounds; i++) {
      erpfrontRounds.push(await load(erpfrontUrl, { headers, body }, options.seconds));
      bareRounds.push(await load(bareUrl, { headers, body }, options.seconds));
      jitRounds.push(await load(jitUrl, { headers, body }, options.seconds));
    }
    const e = summarize(erpfrontRounds);
    const b = summarize(bareRounds);
    const j = summarize(jitRounds);
    return { erpfront: e, bare: b, bareJit: j, ratio: e.rps / b.rps, ratioJit: e.rps / j.rps, sameAnswer, bytes };
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
}
