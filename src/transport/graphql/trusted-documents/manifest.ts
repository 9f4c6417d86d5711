/**
 * A storefront build's manifest of trusted documents, as the client tooling writes it: id →
 * document text. Three shapes are read:
 *
 * - GraphQL Codegen's client preset (`persisted-documents.json`) and Relay's persisted queries
 *   (`--persist-output`): one object, `{ "<id>": "query … { … }" }`;
 * - Apollo's persisted query list (`@apollo/generate-persisted-query-manifest`):
 *   `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "body", … }] }`.
 *
 * Ids are opaque: Codegen's are hashes (sha256 when configured so), Relay's md5 hashes, anything a
 * build chooses. Pure: the entry reads the files, this reads their text.
 *
 * @module
 */
import { ConfigError } from '../../../config/env.ts';

/** One document of a manifest. */
export interface ManifestEntry {
  readonly id: string;
  readonly text: string;
  /** Where it was read (a file name), for the problems a start reports. */
  readonly source: string;
}

/** An id as clients send it: printable, no spaces, at most 200 characters. */
const SANE_ID = /^[\x21-\x7e]{1,200}$/;

const APOLLO_FORMAT = 'apollo-persisted-query-manifest';

/**
 * The entries of one manifest file's text, or the problems that make it unusable (each prefixed
 * with `source`). Never throws.
 */
export function readManifest(json: string, source: string): { entries: ManifestEntry[]; problems: string[] } {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { entries: [], problems: [`${source}: not valid JSON (${(error as Error).message})`] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      entries: [],
      problems: [`${source}: expected an object of id → document (GraphQL Codegen's persisted-documents.json, Relay) or an Apollo persisted query manifest`],
    };
  }
  if (isApolloManifest(data) && (data.version !== 1 || !Array.isArray(data.operations))) {
    // A later version of the format may not mean what version 1 does.
    return { entries: [], problems: [`${source}: an ${APOLLO_FORMAT} of a version erpfront does not read (expected version 1, with operations)`] };
  }
  const pairs: Array<[string, unknown]> = isApolloManifest(data) ? apolloPairs(data.operations as unknown[]) : Object.entries(data);
  const entries: ManifestEntry[] = [];
  const problems: string[] = [];
  for (const [id, text] of pairs) {
    if (!SANE_ID.test(id))
      problems.push(`${source}: id ${JSON.stringify(id.slice(0, 80))} is not a usable document id (1-200 printable characters, no spaces)`);
    else if (typeof text !== 'string' || text.trim() === '') problems.push(`${source}: document ${id} is not a GraphQL document text`);
    else entries.push({ id, text, source });
  }
  if (pairs.length === 0) problems.push(`${source}: holds no documents`);
  return { entries, problems };
}

function isApolloManifest(data: object): data is { format: string; version?: unknown; operations?: unknown } {
  return 'format' in data && (data as { format: unknown }).format === APOLLO_FORMAT;
}

/** Apollo's operations as id → body pairs. */
function apolloPairs(operations: unknown[]): Array<[string, unknown]> {
  return operations.map((op) => {
    const { id, body } = (op ?? {}) as { id?: unknown; body?: unknown };
    return [typeof id === 'string' ? id : String(id), body];
  });
}

/**
 * The entries of every manifest file, checked together: an id registered twice with different
 * texts (two builds disagreeing) is a problem; the same document twice is not.
 * @throws {ConfigError} listing every problem of every file
 */
export function mergeManifests(files: ReadonlyArray<{ source: string; text: string }>, variable = 'TRUSTED_DOCUMENTS_FILE'): ManifestEntry[] {
  const byId = new Map<string, ManifestEntry>();
  const problems: string[] = [];
  for (const file of files) {
    const read = readManifest(file.text, file.source);
    problems.push(...read.problems);
    for (const entry of read.entries) {
      const earlier = byId.get(entry.id);
      if (earlier && earlier.text !== entry.text) problems.push(`${entry.source}: document ${entry.id} is also in ${earlier.source} with another text`);
      else if (!earlier) byId.set(entry.id, entry);
    }
  }
  if (files.length === 0) problems.push('holds no manifest (*.json) file');
  if (problems.length > 0) throw manifestError(problems, variable);
  return [...byId.values()];
}

/** Problems listed at start: a manifest of thousands of broken documents shows its first few. */
const SHOWN_PROBLEMS = 20;

/** The start's refusal for these problems of the manifest named by `variable`. */
export function manifestError(problems: readonly string[], variable = 'TRUSTED_DOCUMENTS_FILE'): ConfigError {
  const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => `${variable}: ${p}`);
  if (problems.length > SHOWN_PROBLEMS) shown.push(`${variable}: … and ${problems.length - SHOWN_PROBLEMS} more problems`);
  return new ConfigError(shown);
}
