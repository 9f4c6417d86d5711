/**
 * Every connection field decodes its `after` cursor through one function: a cursor erpfront did
 * not issue (garbage, base64 of garbage, a negative or absurd offset, another field's cursor) is
 * the caller's mistake, answered with `INVALID_ARGUMENT` on that field, never a masked 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const codes = (body: any) => (body.errors ?? []).map((e: any) => e.extensions?.code);
const b64 = (text: string) => Buffer.from(text).toString('base64');

const BAD_CURSORS: Array<[string, string]> = [
  ['percent signs', '%%%'],
  ['not base64 at all', 'this is not a cursor!'],
  ['unicode', '☃☃☃'],
  ['base64 of garbage', b64('garbage')],
  ['base64 of a negative offset (orders)', b64('erp:-1')],
  ['base64 of a negative offset (search)', b64('offset:-1')],
  ['base64 of a huge offset (orders)', b64('erp:99999999999999999999999')],
  ['base64 of a huge offset (search)', b64('offset:99999999999999999999999')],
  ['base64 of a fractional offset', b64('erp:1.5')],
  ['base64 of an exponent', b64('offset:1e21')],
  ['base64 with a trailing newline', b64('erp:1\n')],
  ['a very long string', 'A'.repeat(50_000)],
];

const FIELDS = {
  orders: /* GraphQL */ `query($after: String) { orders(first: 5, after: $after) { edges { cursor } pageInfo { endCursor hasNextPage } } }`,
  searchProducts: /* GraphQL */ `query($after: String) { searchProducts(query: "bolt", first: 5, after: $after) { totalCount edges { cursor } pageInfo { endCursor hasNextPage } } }`,
  invoices: /* GraphQL */ `query($after: String) { invoices(first: 2, after: $after) { totalCount edges { cursor } pageInfo { endCursor hasNextPage } } }`,
} as const;

describe('bad cursors are INVALID_ARGUMENT, never a 500', () => {
  for (const [field, query] of Object.entries(FIELDS)) {
    it.each(BAD_CURSORS)(`${field}(after: %s): INVALID_ARGUMENT on the field`, async (_, cursor) => {
      const answer = await stack.graphql(query, { after: cursor });
      expect(answer.status).toBe(200);
      expect(codes(answer.body)).toEqual(['INVALID_ARGUMENT']);
      expect(answer.body.errors[0].path).toEqual([field]);
      // The message helps, but does not echo what the caller sent.
      expect(answer.body.errors[0].message).toMatch(/cursor/);
      expect(answer.body.errors[0].message.length).toBeLessThan(300);
    });

    it(`${field}: a cursor it issued still pages on`, async () => {
      const first = await stack.graphql(query, {});
      expect(first.body.errors).toBeUndefined();
      const endCursor = first.body.data[field].pageInfo.endCursor;
      if (endCursor === null) return;
      const next = await stack.graphql(query, { after: endCursor });
      expect(next.body.errors).toBeUndefined();
    });
  }

  it("one field's cursor is not accepted by another", async () => {
    const search = await stack.graphql(FIELDS.searchProducts, {});
    const cursor = search.body.data.searchProducts.pageInfo.endCursor;
    expect(cursor).toEqual(expect.any(String));
    const answer = await stack.graphql(FIELDS.orders, { after: cursor });
    expect(codes(answer.body)).toEqual(['INVALID_ARGUMENT']);
    const invoices = await stack.graphql(FIELDS.invoices, { after: cursor });
    expect(codes(invoices.body)).toEqual(['INVALID_ARGUMENT']);
  });

  it.each([0, -1, 1001])('orderQueue(first: %s), a page size out of range: INVALID_ARGUMENT', async (first) => {
    const answer = await stack.graphql('query($first: Int) { orderQueue(first: $first) { id } }', { first }, { token: await stack.opsToken() });
    expect(answer.status).toBe(200);
    expect(codes(answer.body)).toEqual(['INVALID_ARGUMENT']);
  });
});
