/**
 * The JSON executor writes what graphql-js's own `execute` answers, byte for byte, for the shapes
 * it plans; it leaves every other shape, and every answer with an error, to the engine (`null`);
 * and the text it keeps for a frozen answer never outlives what the answer shows.
 */
import { execute, GraphQLScalarType, parse, type DocumentNode, type ExecutionResult } from 'graphql';
import { createSchema } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../../src/domain/deep-freeze.ts';
import { writeJson } from '../../../src/transport/graphql/json-executor/json-executor.ts';
import { JsonParts, type Json } from '../../../src/transport/graphql/json-executor/json-text.ts';
import { planJson, type JsonPlan } from '../../../src/transport/graphql/json-executor/json-plan.ts';
import { queryCost } from '../../../src/transport/graphql/cost/query-cost.ts';
import { PreparedRequests } from '../../../src/transport/graphql/prepared-requests.ts';
import { scalars } from '../../../src/transport/graphql/scalars.ts';

interface Quote {
  amount: string;
  breaks: Array<{ min: number; amount: string }>;
  asOf: string;
}

const state = {
  quotes: new Map<string, Quote>(),
  calls: 0,
};

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    scalar Decimal
    scalar DateTime
    scalar Date
    enum Stock { IN_STOCK OUT_OF_STOCK }
    type Break { min: Int! amount: Decimal! }
    type Quote { amount: Decimal! breaks: [Break!]! asOf: DateTime! }
    type Item { sku: ID! name: String tags: [[String]] stock: Stock! price(quantity: Int = 1): Quote later: String broken: String }
    interface Named { name: String }
    type Query { items(skus: [ID!]!): [Item] item(sku: ID!): Item! count: Int named: Named }
  `,
  resolvers: {
    ...scalars,
    Query: {
      items: (_: unknown, args: { skus: string[] }) => args.skus.map((sku) => (sku === 'ERR' ? new Error('no such item') : item(sku))),
      item: (_: unknown, args: { sku: string }) => (args.sku === 'NULL' ? null : item(args.sku)),
      count: () => state.quotes.size,
      named: () => ({ __typename: 'Item', name: 'x' }),
    },
    Item: {
      price: (source: { sku: string }, args: { quantity: number }) => {
        state.calls++;
        return args.quantity > 1000 ? null : state.quotes.get(source.sku);
      },
      later: async (source: { sku: string }) => `later ${source.sku}`,
      broken: () => {
        throw new Error('broken resolver');
      },
    },
    Named: { __resolveType: () => 'Item' },
  },
});

function item(sku: string) {
  return { sku, name: `Item "${sku}" \u00e9\n`, tags: [['a', null], []], stock: sku.endsWith('0') ? 'OUT_OF_STOCK' : 'IN_STOCK' };
}

function quote(amount: string, frozen = true): Quote {
  const q = { amount, breaks: [{ min: 1, amount }], asOf: '2026-11-30T10:00:00.000Z' };
  return frozen ? deepFreeze(q) : q;
}

/**
 * What the fast path does with a body: variables copied, frozen and coerced once for the plan
 * (prepared-requests.ts), then the executor; `null` (the engine answers) when either declines.
 */
async function run(plan: JsonPlan, document: DocumentNode, variables?: Record<string, unknown>) {
  const cost = queryCost(schema, document, { variables });
  const prepared = new PreparedRequests<null>().prepare(JSON.stringify(variables ?? null), schema, null, plan, variables, cost);
  if (!prepared.coerced) return null;
  const written = await writeJson(plan, {}, prepared.coerced);
  return written === null ? null : jsonText(written);
}

/** What the executor wrote, as the text it stands for (kept parts are UTF-8 bytes). */
function jsonText(json: Json): string {
  return typeof json === 'string' ? json : json.parts.map((part) => (typeof part === 'string' ? part : Buffer.from(part).toString())).join('');
}

/** Plans by query text: as the fast path keeps one per learned operation, and the kept texts with it. */
const plans = new Map<string, { document: DocumentNode; plan: JsonPlan | null }>();

/** What the executor writes for `query`, and what graphql-js answers (its `data` as JSON). */
async function both(query: string, variables?: Record<string, unknown>) {
  let learned = plans.get(query);
  if (!learned) {
    const document = parse(query);
    plans.set(query, (learned = { document, plan: planJson(schema, document) }));
  }
  const { document, plan } = learned;
  expect(plan).not.toBeNull();
  const written = await run(plan!, document, variables);
  const reference = (await execute({ schema, document, variableValues: variables })) as ExecutionResult;
  return { written, reference };
}

describe('JSON executor', () => {
  state.quotes.set('A1', quote('12.50'));
  state.quotes.set('A2', quote('0.99'));

  it('writes what graphql-js answers: aliases, __typename, enums, nested lists, nulls, escapes, arguments from variables and defaults', async () => {
    const { written, reference } = await both(
      `query($skus: [ID!]!, $q: Int) { count first: items(skus: $skus) { __typename sku name tags stock price(quantity: $q) { amount breaks { min amount } asOf } cheap: price { amount } } one: item(sku: "A1") { sku } }`,
      { skus: ['A1', 'A2', 'B0'], q: 2 },
    );
    expect(reference.errors).toBeUndefined();
    expect(written).toBe(JSON.stringify(reference.data));
  });

  it('awaits resolvers that answer later, as the engine does', async () => {
    const { written, reference } = await both('{ items(skus: ["A1", "A2"]) { sku later } }');
    expect(written).toBe(JSON.stringify(reference.data));
  });

  it('leaves an answer with an error to the engine: a throwing resolver, an Error in a list, null where non-null, a variable that does not coerce', async () => {
    for (const [query, variables] of [
      ['{ items(skus: ["A1"]) { broken } }', undefined],
      ['{ items(skus: ["A1", "ERR"]) { sku } }', undefined],
      ['{ item(sku: "NULL") { sku } }', undefined],
      ['query($skus: [ID!]!) { items(skus: $skus) { sku } }', { skus: [{ not: 'an id' }] }],
    ] as const) {
      const plan = planJson(schema, parse(query));
      expect(plan).not.toBeNull();
      expect(await run(plan!, parse(query), variables)).toBeNull();
    }
  });

  it('plans only the plain shapes: fragments, directives, abstract types, introspection and twice-selected keys go to graphql-jit', () => {
    for (const query of [
      '{ items(skus: []) { ...F } } fragment F on Item { sku }',
      '{ items(skus: []) { ... on Item { sku } } }',
      '{ items(skus: []) { sku @include(if: true) } }',
      '{ named { name } }',
      '{ __schema { queryType { name } } }',
      '{ items(skus: []) { sku sku } }',
      'mutation { x }',
    ]) {
      expect(planJson(schema, parse(query, { noLocation: true })), query).toBeNull();
    }
  });

  it('keeps the text of a frozen answer, and shows a new answer as soon as the resolver returns one', async () => {
    const query = '{ items(skus: ["A1"]) { price { amount } } }';
    const before = state.calls;
    expect((await both(query)).written).toBe('{"items":[{"price":{"amount":"12.50"}}]}');
    expect(state.calls - before).toBe(2); // resolvers still run every time: only the writing is kept
    state.quotes.set('A1', quote('11.00'));
    expect((await both(query)).written).toBe('{"items":[{"price":{"amount":"11.00"}}]}');
  });

  it('never keeps the text of an answer it could see change: not frozen all the way down', async () => {
    const open = quote('5.00', false);
    state.quotes.set('A2', open);
    const query = '{ items(skus: ["A2"]) { price { amount breaks { amount } } } }';
    expect((await both(query)).written).toBe('{"items":[{"price":{"amount":"5.00","breaks":[{"amount":"5.00"}]}}]}');
    open.breaks[0]!.amount = '4.00';
    const { written, reference } = await both(query);
    expect(written).toBe(JSON.stringify(reference.data));
    expect(written).toContain('"4.00"');

    const shallow = Object.freeze({ ...quote('6.00', false) });
    state.quotes.set('A2', shallow);
    expect((await both(query)).written).toContain('"6.00"');
    shallow.breaks[0]!.amount = '5.50';
    expect((await both(query)).written).toContain('"5.50"');

    // Frozen objects in a list that is not: the list may change.
    const list: Array<Quote['breaks'][number]> = [Object.freeze({ min: 1, amount: '7.00' })];
    state.quotes.set('A2', Object.freeze({ amount: '7.00', breaks: list, asOf: '2026-11-30T10:00:00.000Z' }));
    expect((await both(query)).written).toContain('"7.00"}]');
    list[0] = Object.freeze({ min: 1, amount: '6.50' });
    expect((await both(query)).written).toContain('"6.50"}]');

    // A frozen list of objects that are not: they may change.
    const inner = { min: 1, amount: '8.00' };
    state.quotes.set('A2', Object.freeze({ amount: '8.00', breaks: Object.freeze([inner]) as Quote['breaks'], asOf: '2026-11-30T10:00:00.000Z' }));
    expect((await both(query)).written).toContain('"8.00"}]');
    inner.amount = '7.50';
    expect((await both(query)).written).toContain('"7.50"}]');
  });

  it('rewrites an object whose fields changed (an item renamed, a new quote), and only then', async () => {
    const named = item('A4');
    const items = new Map([['A4', named]]);
    let serialized = 0;
    const counting = createSchema({
      typeDefs: /* GraphQL */ `
        scalar Code
        type Quote { amount: String! }
        type Item { sku: ID! name: String code: Code price: Quote }
        type Query { items(skus: [ID!]!): [Item] }
      `,
      resolvers: {
        Code: new GraphQLScalarType({ name: 'Code', serialize: (value) => (serialized++, String(value)) }),
        Query: { items: (_: unknown, args: { skus: string[] }) => args.skus.map((sku) => items.get(sku)) },
        Item: { code: (source: { sku: string }) => source.sku.toLowerCase(), price: (source: { sku: string }) => state.quotes.get(source.sku) },
      },
    });
    state.quotes.set('A4', quote('1.00'));
    const document = parse('{ items(skus: ["A4"]) { sku name code price { amount } } }');
    const plan = planJson(counting, document)!;
    const page = async () => {
      const json = await writeJson(plan, {}, { sources: {}, coerced: {} });
      const written = json === null ? null : jsonText(json);
      expect(written).toBe(JSON.stringify(((await execute({ schema: counting, document })) as ExecutionResult).data));
      return written;
    };
    await page();
    const first = serialized;
    expect(await page()).toContain('"1.00"');
    // The reference run serialized the code once; the executor wrote the item from what it kept.
    expect(serialized - first).toBe(1);
    named.name = 'renamed';
    expect(await page()).toContain('"renamed"');
    state.quotes.set('A4', quote('2.00'));
    expect(await page()).toContain('"2.00"');
    // A quote that is not frozen may change in place: the item is written anew every time.
    const open = quote('3.00', false);
    state.quotes.set('A4', open);
    expect(await page()).toContain('"3.00"');
    open.amount = '3.50';
    expect(await page()).toContain('"3.50"');
  });

  it('sends a page of items written again from the same texts as the bytes of the last time, and text again once one changes', async () => {
    const skus = Array.from({ length: 10 }, (_, i) => `L${i}`);
    for (const sku of skus) state.quotes.set(sku, quote(`1.${sku.slice(1)}0`));
    const query = '{ items(skus: ["L0","L1","L2","L3","L4","L5","L6","L7","L8","L9"]) { sku name price { amount breaks { min amount } } } }';
    const document = parse(query);
    const plan = planJson(schema, document)!;
    const page = async () => {
      const json = await writeJson(plan, {}, { sources: {}, coerced: {} });
      const reference = JSON.stringify(((await execute({ schema, document })) as ExecutionResult).data);
      expect(json).not.toBeNull();
      // Byte for byte what graphql-js answers, whichever way it is written.
      expect(jsonText(json!)).toBe(reference);
      return json;
    };
    // Items as the cache holds them: the same objects from page to page.
    const fixed = new Map(skus.map((sku) => [sku, item(sku)]));
    const resolvers = schema.getQueryType()!.getFields().items!;
    const original = resolvers.resolve!;
    resolvers.resolve = (_source, args: { skus: string[] }) => args.skus.map((sku) => fixed.get(sku));
    try {
      expect(typeof (await page())).toBe('string');
      // Its items written from the same texts: the list is kept, and sent as the same bytes.
      const bytesOf = (json: unknown) => (json as JsonParts).parts.find((part) => typeof part !== 'string');
      const second = await page();
      expect(second).toBeInstanceOf(JsonParts);
      expect(bytesOf(second)).toBeInstanceOf(Uint8Array);
      expect(bytesOf(await page())).toBe(bytesOf(second));
      // One price changes: the list is written as text again, with the new price.
      state.quotes.set('L7', quote('9.99'));
      const changed = await page();
      expect(typeof changed).toBe('string');
      expect(changed).toContain('"9.99"');
    } finally {
      resolvers.resolve = original;
    }
  });

  it('writes a frozen answer once while it lives, whichever page shows it', async () => {
    let reads = 0;
    const counted = { breaks: [], asOf: '2026-11-30T10:00:00.000Z' } as unknown as Quote;
    Object.defineProperty(counted, 'amount', { enumerable: true, get: () => (reads++, '3.00') });
    state.quotes.set('A3', deepFreeze(counted));
    const query = '{ items(skus: ["A3", "A3"]) { sku price { amount } } }';
    expect((await both(query)).written).toBe('{"items":[{"sku":"A3","price":{"amount":"3.00"}},{"sku":"A3","price":{"amount":"3.00"}}]}');
    const afterFirst = reads;
    await both(query);
    // graphql-js (the reference run beside it) reads it twice a page; the executor read it once, ever.
    expect(reads - afterFirst).toBe(2);

    // A flood of shapes showing the same answer: it keeps at most 8 texts, then starts over.
    const shapes = Array.from({ length: 9 }, (_, i) => `{ items(skus: ["A3"]) { price { a${i}: amount } } }`);
    for (const shape of shapes) await both(shape);
    const beforeAgain = reads;
    await both(shapes[8]!);
    expect(reads - beforeAgain).toBe(1); // the reference run's read: the newest shape's text is kept
    await both(shapes[0]!);
    expect(reads - beforeAgain).toBe(3); // the oldest was let go: written again
  });
});
