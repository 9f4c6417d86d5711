/**
 * Peer: mercurius (fastify) with its graphql-jit, answering the captured page from memory with the
 * same schema (`schema.graphql`), on graphql 16 (bench/peers has its own node_modules).
 * Usage: node bench/peers/mercurius.ts <data.json> <port>
 */
import Fastify from 'fastify';
import mercurius from 'mercurius';
import { readFileSync } from 'node:fs';

const [dataFile, port] = process.argv.slice(2);
const data = JSON.parse(readFileSync(dataFile!, 'utf8'));
const schema = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
const app = Fastify({ logger: false });
// jit: 1 compiles an operation with graphql-jit from its first run on (mercurius's fastest setting).
await app.register(mercurius, { schema, resolvers: { Query: { products: () => data.products, viewer: () => data.viewer } }, jit: 1 });
await app.listen({ port: Number(port), host: '127.0.0.1' });
console.log(`mercurius on ${port}`);
