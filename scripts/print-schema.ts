/**
 * `npm run schema`: writes `schema.graphql`, the public contract, from the base and each feature's
 * part (src/features/index.ts order). `npm run schema -- --check` exits 1 when the file differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { printSchemaParts } from '../src/compose.ts';

const file = new URL('../schema.graphql', import.meta.url);
const text = printSchemaParts();
if (process.argv.includes('--check')) {
  if (readFileSync(file, 'utf8') !== text) {
    console.error("schema.graphql differs from the features' schema parts: run `npm run schema` and commit it.");
    process.exit(1);
  }
} else {
  writeFileSync(file, text);
  console.log("schema.graphql written from the features' parts.");
}
