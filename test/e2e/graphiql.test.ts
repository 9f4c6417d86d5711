/**
 * The GraphiQL page and introspection over HTTP: only the IDE page is served without a token,
 * only while GraphiQL is on; no query runs without one, whatever the Accept header says; and in
 * production both GraphiQL and introspection are off unless turned on.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClientSchema, getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startErpfrontProcess, type NodeProcess } from '../support/processes.ts';
import { startStack, type Stack } from '../support/stack.ts';

const INTROSPECTION = '{ __schema { types { name } } }';

async function getHtml(base: string, query?: string, token?: string) {
  const url = `${base}/graphql${query === undefined ? '' : `?query=${encodeURIComponent(query)}`}`;
  const response = await fetch(url, {
    headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

async function post(base: string, query: string, token: string) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

let stack: Stack;
const extra: NodeProcess[] = [];

/** Another erpfront in front of the same sandbox ERP, with the stack's secret. */
async function erpfrontWith(env: Record<string, string>): Promise<string> {
  const started = await startErpfrontProcess({
    ERP_URL: stack.sandbox.url,
    AUTH_JWT_SECRET: stack.secret,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'erpfront-graphiql-')),
    ...env,
  });
  extra.push(started);
  return started.url;
}

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  for (const process of extra) await process.stop();
  await stack?.close();
});

describe('GraphiQL on (outside production)', () => {
  it('serves the IDE page to a browser without a token', async () => {
    const page = await getHtml(stack.erpfront.url);
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.text).toContain('erpfront');
  });

  it('a GET that carries an operation needs a token, whatever it accepts: 401, never data', async () => {
    const page = await getHtml(stack.erpfront.url, INTROSPECTION);
    expect(page.status).toBe(401);
    expect(page.text).not.toContain('"__schema"');
    const withToken = await getHtml(stack.erpfront.url, INTROSPECTION, await stack.buyerToken('C0001'));
    expect(withToken.status).toBe(200);
  });

  it('answers introspection to a client with a token', async () => {
    const answer = await post(stack.erpfront.url, INTROSPECTION, await stack.buyerToken('C0001'));
    expect(answer.body.data.__schema.types.length).toBeGreaterThan(10);
  });

  it("answers the IDE's own introspection query (directives and deprecated input values included), every time it is asked", async () => {
    // What GraphiQL sends to learn the schema for its docs and completion.
    const query = getIntrospectionQuery({
      descriptions: true,
      inputValueDeprecation: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      specifiedByUrl: true,
    });
    const token = await stack.buyerToken('C0001');
    for (let i = 0; i < 3; i++) {
      const answer = await post(stack.erpfront.url, query, token);
      expect(answer.body.errors).toBeUndefined();
      const schema = buildClientSchema(answer.body.data);
      expect(
        schema
          .getQueryType()
          ?.getFields()
          .products?.args.map((a) => a.name),
      ).toEqual(['skus']);
      expect(schema.getDirective('deprecated')).toBeDefined();
    }
  });
});

describe('GRAPHIQL=false', () => {
  let url: string;
  beforeAll(async () => {
    url = await erpfrontWith({ GRAPHIQL: 'false' });
  });

  it('runs no query for a browser without a token: 401', async () => {
    const answer = await getHtml(url, INTROSPECTION);
    expect(answer.status).toBe(401);
    expect(answer.text).not.toContain('__schema');
    expect(JSON.parse(answer.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('serves no page either: 401', async () => {
    expect((await getHtml(url)).status).toBe(401);
  });
});

describe('NODE_ENV=production', () => {
  let url: string;
  beforeAll(async () => {
    url = await erpfrontWith({ NODE_ENV: 'production' });
  });

  it('has GraphiQL off by default', async () => {
    const page = await getHtml(url);
    expect(page.status).toBe(401);
    expect(page.type).not.toContain('text/html');
  });

  it('refuses introspection by default, even with a token, and still answers queries', async () => {
    const token = await stack.buyerToken('C0001');
    const refused = await post(url, INTROSPECTION, token);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typed = await post(url, '{ __type(name: "Product") { name } }', token);
    expect(typed.body.data).toBeUndefined();
    const normal = await post(url, '{ __typename viewer { customer { id } } }', token);
    expect(normal.body.errors).toBeUndefined();
    expect(normal.body.data.viewer.customer.id).toBe('C0001');
  });

  it('turns introspection and GraphiQL on when configured', async () => {
    const opened = await erpfrontWith({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: 'true' });
    expect((await getHtml(opened)).status).toBe(200);
    const answer = await post(opened, INTROSPECTION, await stack.buyerToken('C0001'));
    expect(answer.body.data.__schema.types.length).toBeGreaterThan(10);
  });
});
