/**
 * Parser and validation limits and the query cost, over HTTP against erpfront in its own process
 * (sandbox ERP behind it): the two attacks (200 aliases of a 250-SKU product list; a
 * fragment chain that doubles 180 times) are refused at once with their code, without an ERP call
 * and without stopping /healthz; every other limit refuses with its code; the README's own
 * example queries still run; and every answer carries `extensions.cost`.
 */
import { readFileSync } from 'node:fs';
import { parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_PAGE, counter, skus, startStack, type GraphQLAnswer, type Stack } from '../support/stack.ts';
import { signToken } from '../../scripts/sign-token.ts';

let stack: Stack;
/** The same erpfront with every limit set low, to show each is configurable. */
let strict: Stack;
beforeAll(async () => {
  stack = await startStack();
  strict = await startStack({
    MAX_QUERY_TOKENS: '200',
    MAX_QUERY_DEPTH: '4',
    MAX_QUERY_ALIASES: '2',
    MAX_QUERY_DIRECTIVES: '1',
    MAX_FRAGMENT_SPREADS: '3',
    MAX_SKUS_PER_REQUEST: '300',
    MAX_QUERY_COST: '500',
  });
});
afterAll(async () => {
  await stack?.close();
  await strict?.close();
});

const codes = (answer: GraphQLAnswer) => (answer.body.errors ?? []).map((e: any) => e.extensions?.code);

/** `extensions.cost` as Shopify shapes it: every answer has one. */
function costOf(answer: GraphQLAnswer): { requestedQueryCost: number; actualQueryCost: number; throttleStatus: unknown } {
  const cost = answer.body.extensions?.cost;
  // The caller's bucket (Shopify's shape), throttling on by default.
  const bucket = { maximumAvailable: expect.any(Number), currentlyAvailable: expect.any(Number), restoreRate: expect.any(Number) };
  expect(cost, JSON.stringify(answer.body).slice(0, 300)).toEqual({
    requestedQueryCost: expect.any(Number),
    actualQueryCost: expect.any(Number),
    throttleStatus: bucket,
  });
  return cost;
}

/** 200 aliases of a product list, the SKUs in a variable (`n` makes each document new to the server). */
const aliasAmplification = (n: number) =>
  `query Amplify${n}($skus: [ID!]!) { ${Array.from({ length: 200 }, (_, i) => `a${i}: products(skus: $skus) { sku }`).join(' ')} }`;
/** The same with the 250 SKUs written into each alias. */
const inlineAmplification = (n: number) =>
  `query Inline${n} { ${Array.from({ length: 200 }, (_, i) => `a${i}: products(skus: ${JSON.stringify(skus(250))}) { sku price { unitPrice { amount } } }`).join(' ')} }`;
/** 180 fragments, each spreading the next twice (about 2,000 tokens; 2^180 selections expanded). */
function fragmentBomb(n: number): string {
  const fragments = Array.from({ length: 180 }, (_, i) => `fragment B${n}x${i} on Product { price { source } ...B${n}x${i + 1} ...B${n}x${i + 1} }`);
  return `query Bomb${n} { products(skus: ["SKU-00001"]) { ...B${n}x0 } }\n${fragments.join('\n')}\nfragment B${n}x180 on Product { sku }`;
}

/**
 * Sends `document` (new text each time) `times` times while polling /healthz, and says how long
 * each refusal took and the slowest /healthz answer meanwhile.
 */
async function refusedWhileHealthy(document: (n: number) => string, variables: Record<string, unknown>, times: number) {
  await (await fetch(`${stack.erpfront.url}/healthz`)).text();
  let polling = true;
  let slowestHealthz = 0;
  let healthzAnswers = 0;
  const poll = (async () => {
    while (polling) {
      const started = performance.now();
      const response = await fetch(`${stack.erpfront.url}/healthz`);
      await response.text();
      if (response.status === 200) healthzAnswers += 1;
      slowestHealthz = Math.max(slowestHealthz, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const answers: Array<{ answer: GraphQLAnswer; ms: number }> = [];
  const token = await stack.buyerToken('C0001');
  await stack.graphql('{ viewer { subject } }', {}, { token }); // a connection open, as a client's is
  try {
    for (let n = 0; n < times; n++) {
      const started = performance.now();
      const answer = await stack.graphql(document(n), variables, { token });
      answers.push({ answer, ms: performance.now() - started });
    }
  } finally {
    polling = false;
    await poll;
  }
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  return { answers: answers.map((a) => a.answer), medianMs: ms[Math.floor(ms.length / 2)]!, slowestHealthz, healthzAnswers };
}

describe("the issue's attacks are refused at once, without an ERP call, /healthz answering meanwhile", () => {
  it.each([
    ['200 aliases of products(skus: $skus) with 250 SKUs', 'TOO_MANY_ALIASES', aliasAmplification, { skus: skus(250) }],
    ['200 aliases of products with 250 SKUs written out', 'TOO_MANY_TOKENS', inlineAmplification, {}],
    ['180 fragments each spreading the next twice', 'TOO_MANY_FRAGMENT_SPREADS', fragmentBomb, {}],
  ] as const)('%s: 400 %s in well under a second', async (_, code, document, variables) => {
    const before = await stack.stats();
    const run = await refusedWhileHealthy(document, variables, 7);
    for (const answer of run.answers) {
      expect(answer.status).toBe(400);
      expect(codes(answer)).toEqual([code]);
      expect(answer.body.data).toBeUndefined();
      expect(costOf(answer)).toMatchObject({ actualQueryCost: 0 });
    }
    // Unprotected, each took seconds. The bound leaves room for the written-out document's 750 KB
    // upload on a busy 2-core machine (50 ms held on an idle one, not under load).
    expect(run.medianMs).toBeLessThan(200);
    expect(run.healthzAnswers).toBeGreaterThan(0);
    // Unprotected, the bomb kept the process busy for seconds to ever; the bound leaves room for a busy machine.
    expect(run.slowestHealthz).toBeLessThan(1000);
    expect((await stack.stats()).total).toBe(before.total);
  });
});

describe('each limit refuses with its code (HTTP 400), before any resolver runs', () => {
  it('depth: an introspection chain of ofType 13 levels deep is QUERY_TOO_DEEP (default 12)', async () => {
    const ofType = (levels: number): string => (levels === 0 ? 'name' : `ofType { ${ofType(levels - 1)} }`);
    const answer = await stack.graphql(`{ __type(name: "Product") { fields { type { ${ofType(9)} } } } }`);
    expect({ status: answer.status, codes: codes(answer) }).toEqual({ status: 400, codes: ['QUERY_TOO_DEEP'] });
    expect(answer.body.errors[0].extensions).toMatchObject({ limit: 12, found: 13 });
    costOf(answer);
  });

  it('a refusal comes before validation: an invalid document over a limit gets the limit, not a validation error', async () => {
    const nested = (levels: number): string => (levels === 0 ? 'x' : `a { ${nested(levels - 1)} }`);
    const answer = await stack.graphql(`{ ${nested(20)} }`);
    expect({ status: answer.status, codes: codes(answer) }).toEqual({ status: 400, codes: ['QUERY_TOO_DEEP'] });
  });

  it('tokens, directives and the request-wide total of SKUs, at their defaults', async () => {
    const tokens = await stack.graphql(`{ ${Array.from({ length: 1600 }, () => 'viewer { subject }').join(' ')} }`);
    expect({ status: tokens.status, codes: codes(tokens) }).toEqual({ status: 400, codes: ['TOO_MANY_TOKENS'] });
    const directives = await stack.graphql(
      `query($x: Boolean = true) { viewer { ${Array.from({ length: 51 }, () => 'subject @include(if: $x)').join(' ')} } }`,
    );
    expect({ status: directives.status, codes: codes(directives) }).toEqual({ status: 400, codes: ['TOO_MANY_DIRECTIVES'] });
    const before = await stack.stats();
    const many = await stack.graphql('query($s: [ID!]!) { a: products(skus: $s) { sku } b: products(skus: $s) { sku } c: product(sku: "SKU-00001") { sku } }', {
      s: skus(250),
    });
    expect({ status: many.status, codes: codes(many) }).toEqual({ status: 400, codes: ['TOO_MANY_SKUS'] });
    expect(many.body.errors[0].message).toContain('501 products');
    expect((await stack.stats()).total).toBe(before.total);
    for (const answer of [tokens, directives, many]) costOf(answer);
  });

  it('every limit is configurable, and names itself when it refuses', async () => {
    const refused = async (document: string, variables: Record<string, unknown> = {}) => {
      const answer = await strict.graphql(document, variables);
      expect(answer.status).toBe(400);
      costOf(answer);
      return { code: codes(answer)[0], limit: answer.body.errors[0].extensions.limit };
    };
    expect(await refused(`{ ${Array.from({ length: 70 }, () => 'viewer { subject }').join(' ')} }`)).toEqual({ code: 'TOO_MANY_TOKENS', limit: 200 });
    expect(await refused(CATALOG_PAGE, { skus: skus(2) })).toEqual({ code: 'QUERY_TOO_DEEP', limit: 4 });
    expect(await refused('{ a: viewer { subject } b: viewer { subject } c: viewer { subject } }')).toEqual({ code: 'TOO_MANY_ALIASES', limit: 2 });
    expect(await refused('query($x: Boolean = true) { viewer { subject @include(if: $x) roles @include(if: $x) } }')).toEqual({
      code: 'TOO_MANY_DIRECTIVES',
      limit: 1,
    });
    expect(await refused('{ ...A ...A } fragment A on Query { ...B ...B } fragment B on Query { viewer { subject } }')).toEqual({
      code: 'TOO_MANY_FRAGMENT_SPREADS',
      limit: 3,
    });
    expect(await refused('query($s: [ID!]!) { a: products(skus: $s) { sku } b: products(skus: $s) { sku } }', { s: skus(151) })).toEqual({
      code: 'TOO_MANY_SKUS',
      limit: 300,
    });
  });

  it('an operation costing more than MAX_QUERY_COST: QUERY_TOO_COSTLY with its cost and the limit, nothing asked of the ERP', async () => {
    const before = await strict.stats();
    const page = `query CatalogPage($skus: [ID!]!) { products(skus: $skus) { sku price { unitPrice { amount } } availability { status } } }`;
    // Per product: the product 3, its price 3 and unit price 1, its availability 3.
    const answer = await strict.graphql(page, { skus: skus(51) });
    expect({ status: answer.status, codes: codes(answer) }).toEqual({ status: 400, codes: ['QUERY_TOO_COSTLY'] });
    expect(answer.body.errors[0].extensions).toMatchObject({ cost: 510, limit: 500 });
    expect(answer.body.errors[0].message).toContain('510 points; at most 500');
    expect((await strict.stats()).total).toBe(before.total);
    expect(costOf(answer)).toMatchObject({ requestedQueryCost: 510, actualQueryCost: 0 });
    // Just under the limit, the same page runs.
    const fits = await strict.graphql(page, { skus: skus(50) });
    expect(fits.status).toBe(200);
    expect(fits.body.data.products).toHaveLength(50);
    expect(costOf(fits).requestedQueryCost).toBe(500);
  });
});

describe("the README's example queries run within the limits", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const operations = blocks.flatMap((block) =>
    parse(block)
      .definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')
      .map((operation) => ({ block, operation })),
  );
  /** Variables for each example; an order's are the README's own (`# variables:` under it). */
  const variables = (block: string, name: string): Record<string, unknown> => {
    const stated = /# variables: (.*)/.exec(block)?.[1];
    if (stated) return JSON.parse(stated);
    return name === 'CatalogPage' ? { skus: skus(48), quantity: 10 } : {};
  };

  const readmeCaller = async (block: string): Promise<string | undefined> => {
    const rep = /# as: rep (\S+)/.exec(block)?.[1];
    if (rep) return stack.repToken(rep);
    if (/# as: ops/.test(block)) return stack.opsToken();
    if (/# as: an applicant/.test(block))
      return signToken({ secret: stack.secret, roles: ['applicant'], subject: `readme-applicant-${Date.now()}@example.com` });
    const admin = /# as: admin of (\S+)/.exec(block)?.[1];
    if (admin) {
      // As the README says: operations, naming the company, designate its first admin.
      const designated = await stack.graphql(
        'mutation ($s: ID!) { setCompanyBuyer(input: { subject: $s, roles: [ADMIN, BUYER] }) { userErrors { code } } }',
        { s: `buyer@${admin}` },
        { token: await stack.opsToken(), headers: { 'x-customer-id': admin } },
      );
      expect(designated.body).toEqual({ data: { setCompanyBuyer: { userErrors: [] } }, extensions: expect.anything() });
      return stack.buyerToken(admin);
    }
    return undefined;
  };

  it('finds them (CatalogPage, Search, PlaceOrder, ...)', () => {
    expect(operations.map((o) => o.operation.name?.value)).toEqual(expect.arrayContaining(['CatalogPage', 'Search', 'PlaceOrder']));
  });

  it.each(operations.map((o) => [o.operation.name?.value ?? '(anonymous)', o] as const))('%s', async (name, { block, operation }) => {
    const document = block.slice(operation.loc!.start, operation.loc!.end);
    // A block marked `# as: ops` is for operations, `# as: rep R05` for that sales rep, `# as: an
    // applicant` for a signed-in user of no company, `# as: admin of C0001` for a buyer operations
    // made that company's ADMIN (a plain buyer would rightly get FORBIDDEN).
    const token = await readmeCaller(block);
    const answer = await stack.graphql(document, variables(block, name), { token, headers: { 'idempotency-key': `readme-${name}-${Date.now()}` } });
    expect({ status: answer.status, errors: answer.body.errors }).toEqual({ status: 200, errors: undefined });
    const cost = costOf(answer);
    expect(cost.requestedQueryCost).toBeGreaterThan(0);
  });
});

describe('extensions.cost', () => {
  it('a warm page costs less than it requested: the ERP share of every read the cache served is given back', async () => {
    const page = { skus: skus(48, 400), quantity: 10 };
    const cold = costOf(await stack.graphql(CATALOG_PAGE, page));
    // Nearly every read reached the ERP (not the account, cached by earlier tests, nor the price of
    // a product not sold to this customer, which is never read).
    expect(cold.actualQueryCost).toBeGreaterThan(cold.requestedQueryCost - 2 * 10);
    const warm = costOf(await stack.graphql(CATALOG_PAGE, page));
    expect(warm.requestedQueryCost).toBe(cold.requestedQueryCost);
    expect(warm.actualQueryCost).toBeLessThan(cold.actualQueryCost);
    // Only the answer's own objects remain: no read reached the ERP.
    expect(warm.actualQueryCost).toBe(cold.requestedQueryCost - 2 * (3 * 48 + 1));
  });

  it('is on every answer that went through GraphQL: data, field errors, syntax and validation errors, mutations', async () => {
    const answers = await Promise.all([
      stack.graphql('{ viewer { subject } }'),
      stack.graphql('{ products(skus: ["SKU-99999"]) { sku } }'),
      stack.graphql('{ viewer {'),
      stack.graphql('{ priceInBitcoin }'),
      stack.graphql('mutation { cancelOrder(id: "no-such-order") { userErrors { code } } }'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 400, 400, 200]);
    expect(answers.map((a) => costOf(a).requestedQueryCost)).toEqual([1, 3, 0, 0, 10]);
  });

  it('/metrics: refusals by reason, and each operation cost by name', async () => {
    await strict.graphql('{ a: viewer { subject } b: viewer { subject } c: viewer { subject } }');
    await strict.graphql('query CatalogPage($skus: [ID!]!) { products(skus: $skus) { sku price { source } availability { status } } }', { skus: skus(60) });
    await strict.graphql('query Small { viewer { subject } }');
    const metrics = await strict.metrics();
    expect(counter(metrics, 'erpfront_requests_refused_total', { reason: 'limit' })).toBeGreaterThanOrEqual(1);
    expect(counter(metrics, 'erpfront_requests_refused_total', { reason: 'cost' })).toBeGreaterThanOrEqual(1);
    expect(counter(metrics, 'erpfront_graphql_operation_cost_count', { operation: 'Small', cost: 'requested' })).toBe(1);
    expect(counter(metrics, 'erpfront_graphql_operation_cost_sum', { operation: 'Small', cost: 'actual' })).toBe(1);
  });
});
