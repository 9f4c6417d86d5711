/**
 * The baseline: a bare graphql-yoga endpoint (defaults, no auth, no cache, no loaders) answering
 * the same schema and the same page from memory.
 * Usage: node bench/bare-yoga.ts <data.json> <port> [--jit]   (--jit adds @envelop/graphql-jit)
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createSchema, createYoga } from 'graphql-yoga';

const [dataFile, port, flag] = process.argv.slice(2);
const data = JSON.parse(readFileSync(dataFile!, 'utf8'));
const typeDefs = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
const yoga = createYoga({
  schema: createSchema({ typeDefs, resolvers: { Query: { products: () => data.products, viewer: () => data.viewer } } }),
  logging: false,
  plugins: flag === '--jit' ? [useGraphQlJit()] : [],
});
createServer(yoga).listen(Number(port), '127.0.0.1', () => console.log(`bare yoga${flag === '--jit' ? ' + jit' : ''} on ${port}`));
