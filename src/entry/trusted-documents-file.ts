/**
 * Reads the storefront builds' manifests of trusted documents named by TRUSTED_DOCUMENTS_FILE: one
 * JSON file, or a directory whose `*.json` files are each one build's (a storefront, a quick-order
 * pad, a reps' app). Every instance of a scale-out deployment reads the same path, so they all
 * know the same documents.
 *
 * A manifest that cannot be read, is larger than TRUSTED_DOCUMENTS_MAX_MB or is not a manifest
 * stops the start with a ConfigError listing what is wrong.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../config/env.ts';
import { manifestError, mergeManifests, type ManifestEntry } from '../transport/graphql/trusted-documents/manifest.ts';

type TrustedDocumentsEnv = Pick<Env, 'TRUSTED_DOCUMENTS' | 'TRUSTED_DOCUMENTS_FILE' | 'TRUSTED_DOCUMENTS_MAX_MB'>;

/** The manifests' documents; none when no file is named or TRUSTED_DOCUMENTS is off. */
export function readTrustedDocuments(env: TrustedDocumentsEnv): ManifestEntry[] {
  const path = env.TRUSTED_DOCUMENTS_FILE;
  if (!path || env.TRUSTED_DOCUMENTS === 'off') return [];
  const files = manifestFiles(path);
  const maxBytes = env.TRUSTED_DOCUMENTS_MAX_MB * 1024 * 1024;
  const total = files.reduce((sum, file) => sum + file.bytes, 0);
  // Checked before reading: the manifest is held in memory, parsed, for the process's life.
  if (total > maxBytes) {
    throw manifestError([
      `${path} holds ${(total / 1024 / 1024).toFixed(1)} MB of manifests, over TRUSTED_DOCUMENTS_MAX_MB (${env.TRUSTED_DOCUMENTS_MAX_MB}); is it a build's manifest? Raise the limit if it is`,
    ]);
  }
  return mergeManifests(files.map((file) => ({ source: file.path, text: readOrFail(file.path) })));
}

/** The manifest files under `path`, with their sizes. */
function manifestFiles(path: string): Array<{ path: string; bytes: number }> {
  const stats = statOrFail(path);
  if (!stats.isDirectory()) return [{ path, bytes: stats.size }];
  let names: string[];
  try {
    names = readdirSync(path);
  } catch (error) {
    throw manifestError([`cannot list ${path} (${codeOf(error)})`]);
  }
  return names
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(path, name))
    .flatMap((file) => {
      const fileStats = statOrFail(file);
      return fileStats.isFile() ? [{ path: file, bytes: fileStats.size }] : [];
    });
}

function statOrFail(path: string) {
  try {
    return statSync(path);
  } catch (error) {
    throw manifestError([`cannot read ${path} (${codeOf(error)})`]);
  }
}

function readOrFail(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw manifestError([`cannot read ${path} (${codeOf(error)})`]);
  }
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
