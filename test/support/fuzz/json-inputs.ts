/**
 * Bodies for erpfront's JSON endpoints (`/graphql`, `/punchout/session`, `/ops/invalidate`) that
 * are not what they should be: not JSON, cut short, the wrong types, huge, deeply nested, with
 * prototype keys, under the wrong content type.
 *
 * @module
 */
import fc from 'fast-check';
import { MAX_DEPTH, type Callers } from './graphql-inputs.ts';
import type { FuzzRequest } from './exchange.ts';
import { nestedJsonText, toJsonText, weirdJson, weirdString } from './values.ts';

const TARGETS = ['/graphql', '/graphql', '/graphql', '/punchout/session', '/ops/invalidate'] as const;

const CONTENT_TYPES = [
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/graphql',
  'application/graphql+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'application/xml',
  'application/json;;;',
  '*/*',
  '',
];

const VALID_QUERY = '{ viewer { customer { id } } }';

/** JSON text whose shape is wrong for the endpoint. */
const wrongShape: fc.Arbitrary<[string, string]> = fc.oneof(
  weirdJson.map((v) => ['any JSON value', toJsonText(v)] as [string, string]),
  fc
    .record({ query: weirdJson, variables: weirdJson, operationName: weirdJson, extensions: weirdJson }, { requiredKeys: [] })
    .map((v) => ['GraphQL fields of the wrong types', toJsonText(v)] as [string, string]),
  fc.array(fc.record({ query: fc.oneof(fc.constant(VALID_QUERY), weirdJson) }), { maxLength: 40 }).map((v) => ['a batch', toJsonText(v)] as [string, string]),
  fc.record({ token: weirdJson }).map((v) => ['a session token of any type', toJsonText(v)] as [string, string]),
  fc
    .record({ domain: weirdJson, keys: weirdJson, changes: weirdJson }, { requiredKeys: [] })
    .map((v) => ['an invalidation of the wrong types', toJsonText(v)] as [string, string]),
  fc.constant([
    'prototype keys',
    `{"__proto__": {"polluted": true, "query": "{ __typename }"}, "constructor": {"prototype": {"x": 1}}, "query": ${JSON.stringify(VALID_QUERY)}}`,
  ] as [string, string]),
  fc.constant(['duplicate keys', `{"query": ${JSON.stringify(VALID_QUERY)}, "query": 5, "variables": {}, "variables": []}`] as [string, string]),
);

/** Text that is not JSON at all, or not any more. */
const notJson: fc.Arbitrary<[string, string]> = fc.oneof(
  weirdString.map((s) => ['a string, not JSON', s] as [string, string]),
  fc
    .constantFrom(
      'NaN',
      '{"query": NaN}',
      '{"query": "{ viewer { customer { id } } }", "variables": {"q": Infinity}}',
      "{'query': 1}",
      '{"query": "x",}',
      '[',
      '{',
      '"',
      'null',
      'true',
      '\uFEFF{}',
      '{"a":1}{"b":2}',
      '{"query":"\\ud800"}',
      '{"query":"\\x41"}',
    )
    .map((s) => ['not quite JSON', s] as [string, string]),
  fc.tuple(weirdJson, fc.nat()).map(([v, n]) => {
    const text = toJsonText({ query: VALID_QUERY, variables: v });
    return ['JSON cut short', text.slice(0, n % Math.max(1, text.length))] as [string, string];
  }),
);

/** Bodies at the limits: deep, huge, and over the 1 MiB limit. */
const extreme: fc.Arbitrary<[string, string]> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 100, max: MAX_DEPTH }), fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>)
    .map(
      ([depth, kind]) =>
        [
          `${kind}s nested ${depth} deep`,
          `{"query": "query($v: String) { viewer { customer { id } } }", "variables": {"v": ${nestedJsonText(depth, kind)}}}`,
        ] as [string, string],
    ),
  fc
    .tuple(fc.integer({ min: 100, max: 100_000 }), fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>)
    .map(([depth, kind]) => [`a bare ${kind} nested ${depth} deep`, nestedJsonText(depth, kind)] as [string, string]),
  fc
    .integer({ min: 1, max: 100_000 })
    .map(
      (n) =>
        [`${n} variables`, `{"query": ${JSON.stringify(VALID_QUERY)}, "variables": {${Array.from({ length: n }, (_, i) => `"v${i}": ${i}`).join(',')}}}`] as [
          string,
          string,
        ],
    ),
  fc
    .integer({ min: 500_000, max: 1_200_000 })
    .map((n) => [`a ${n}-character string`, `{"query": ${JSON.stringify(VALID_QUERY)}, "variables": {"s": "${'a'.repeat(n)}"}}`] as [string, string]),
);

/** Requests with a generated body to a JSON endpoint. */
export function jsonBodyRequests(callers: Callers): fc.Arbitrary<FuzzRequest> {
  const body = fc.oneof({ weight: 4, arbitrary: wrongShape }, { weight: 3, arbitrary: notJson }, { weight: 1, arbitrary: extreme });
  const caller = fc.oneof(fc.constant(callers.buyer), fc.constant(callers.ops), fc.constant(callers.none), fc.constant(callers.garbage));
  return fc.tuple(fc.constantFrom(...TARGETS), body, fc.constantFrom(...CONTENT_TYPES), caller).map(([path, [kind, text], contentType, headers]) => ({
    method: 'POST' as const,
    path,
    headers: { ...headers, accept: 'application/json', ...(contentType ? { 'content-type': contentType } : {}) },
    body: text,
    label: `JSON body to ${path} (${kind}, ${contentType || 'no content type'})`,
  }));
}
