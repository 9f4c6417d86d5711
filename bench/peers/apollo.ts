/**
 * Peer: Apollo Server 5 (standalone, its defaults less the landing page), answering the captured page
 * from memory with the same schema (`schema.graphql`), on graphql 16 (bench/peers has its own node_modules).
 * Usage: node bench/peers/apollo.ts <data.json> <port>
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSchema } from 'graphql';
import { readFileSync } from 'node:fs';

const [dataFile, port] = process.argv.slice(2);
const data = JSON.parse(readFileSync(dataFile!, 'utf8'));
// Built here with graphql 16: Apollo's typeDefs path goes through @graphql-tools, which npm hoists next to graphql 17.
const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const query = schema.getQueryType()!.getFields();
query.products!.resolve = () => data.products;
query.viewer!.resolve = () => data.viewer;
const server = new ApolloServer({
  schema,
  plugins: [ApolloServerPluginLandingPageDisabled()],
});
await startStandaloneServer(server, { listen: { port: Number(port), host: '127.0.0.1' } });
console.log(`apollo on ${port}`);
