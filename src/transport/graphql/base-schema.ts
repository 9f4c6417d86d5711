/**
 * The schema every feature builds on: its description, the scalars, and the empty `Query` and
 * `Mutation` roots the features extend. `schema.graphql` starts with it (`npm run schema`).
 *
 * @module
 */

export const baseTypeDefs = /* GraphQL */ `
"""
erpfront: a buyer's own prices, credit and availability from the ERP, batched, cached and honest
about their age. Every ERP-derived value carries \`asOf\` (when erpfront fetched it from the ERP) and
\`stale\` (true when it is older than its freshness, e.g. while the ERP is down).

Errors carry \`extensions.code\`. Per-item failures (unknown SKU, not sold to this customer, ERP down
for a value never cached) fail that item's field only; the rest of the page is served.
"""
schema {
  query: Query
  mutation: Mutation
}

"A UTC instant, ISO 8601, e.g. \`2026-11-23T09:30:00.000Z\`."
scalar DateTime

"A calendar date, ISO 8601, e.g. \`2026-11-30\`."
scalar Date

"A decimal number as a string, e.g. \`\\"1234.50\\"\`. Money is never a binary float."
scalar Decimal

# The roots: each feature adds its fields (extend type Query, extend type Mutation).
type Query

type Mutation
`;
