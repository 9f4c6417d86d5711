/**
 * The manifest formats a storefront build writes, read as erpfront reads them at start: GraphQL
 * Codegen's client preset and Relay (one object, id → text) and Apollo's persisted query list.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/env.ts';
import { mergeManifests, readManifest } from '../../src/transport/graphql/trusted-documents/manifest.ts';

const VIEWER = 'query Viewer { viewer { customer { id } } }';

describe('reading a manifest', () => {
  it("reads GraphQL Codegen's persisted-documents.json and Relay's output: id → document", () => {
    const { entries, problems } = readManifest(JSON.stringify({ b3a1f0c2: VIEWER, e4d5: 'query Q { __typename }' }), 'codegen.json');
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { id: 'b3a1f0c2', text: VIEWER, source: 'codegen.json' },
      { id: 'e4d5', text: 'query Q { __typename }', source: 'codegen.json' },
    ]);
  });

  it("reads Apollo's persisted query manifest, version 1 only", () => {
    const apollo = { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'abc', name: 'Viewer', type: 'query', body: VIEWER }] };
    expect(readManifest(JSON.stringify(apollo), 'apollo.json').entries).toEqual([{ id: 'abc', text: VIEWER, source: 'apollo.json' }]);
    expect(readManifest(JSON.stringify({ ...apollo, version: 2 }), 'apollo.json').problems).toEqual([
      'apollo.json: an apollo-persisted-query-manifest of a version erpfront does not read (expected version 1, with operations)',
    ]);
  });

  it('lists what is wrong with each entry', () => {
    expect(readManifest('[1, 2]', 'a.json').problems[0]).toMatch(/^a\.json: expected an object of id → document/);
    expect(readManifest('{"x": ', 'a.json').problems[0]).toMatch(/^a\.json: not valid JSON/);
    expect(readManifest('{}', 'a.json').problems).toEqual(['a.json: holds no documents']);
    expect(readManifest(JSON.stringify({ 'has space': VIEWER, ok: 5, blank: ' ' }), 'a.json').problems).toEqual([
      'a.json: id "has space" is not a usable document id (1-200 printable characters, no spaces)',
      'a.json: document ok is not a GraphQL document text',
      'a.json: document blank is not a GraphQL document text',
    ]);
  });
});

describe("several builds' manifests together", () => {
  it('keeps one copy of a document two builds share, and refuses one id with two texts', () => {
    const shared = mergeManifests([
      { source: 'shop.json', text: JSON.stringify({ v: VIEWER }) },
      { source: 'pad.json', text: JSON.stringify({ v: VIEWER }) },
    ]);
    expect(shared).toHaveLength(1);
    expect(() =>
      mergeManifests([
        { source: 'shop.json', text: JSON.stringify({ v: VIEWER }) },
        { source: 'pad.json', text: JSON.stringify({ v: 'query Other { __typename }' }) },
      ]),
    ).toThrow(expect.objectContaining({ problems: ['TRUSTED_DOCUMENTS_FILE: pad.json: document v is also in shop.json with another text'] }));
  });

  it('shows the first 20 problems of a thoroughly broken manifest, and how many more there are', () => {
    const broken = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`d${i}`, 0]));
    let error: unknown;
    try {
      mergeManifests([{ source: 'm.json', text: JSON.stringify(broken) }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(21);
    expect((error as ConfigError).problems.at(-1)).toBe('TRUSTED_DOCUMENTS_FILE: … and 30 more problems');
  });
});
