/**
 * `schema.graphql` is the public contract, and it is exactly the features' schema parts in list
 * order: a feature that changes its part without `npm run schema` fails here.
 */
import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printSchemaParts } from '../../src/compose.ts';
import { features } from '../../src/features/index.ts';

const contract = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');

describe('schema.graphql', () => {
  it("is the base and every feature's part, in the features' order (npm run schema writes it)", () => {
    expect(contract).toBe(printSchemaParts());
  });

  it('builds on its own, so tools reading the file alone (codegen, linters) see the whole API', () => {
    const schema = buildSchema(contract);
    expect(Object.keys(schema.getQueryType()!.getFields())).toEqual(expect.arrayContaining(['products', 'viewer', 'orders', 'punchOutSession']));
    expect(Object.keys(schema.getMutationType()!.getFields())).toEqual(expect.arrayContaining(['placeOrder', 'returnPunchOutCart']));
  });

  it('names each feature once, and every part extends the roots instead of redefining them', () => {
    expect(new Set(features.map((f) => f.name)).size).toBe(features.length);
    for (const feature of features) {
      expect(feature.typeDefs ?? '', feature.name).not.toMatch(/^\s*type (Query|Mutation)\b/m);
    }
  });
});
