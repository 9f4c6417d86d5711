/**
 * The ceiling: node:http answering every POST with the page's bytes, computed once (no parse, no
 * GraphQL, no JSON). Usage: node bench/precomputed.ts <response.json> <port>
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const [file, port] = process.argv.slice(2);
const bytes = readFileSync(file!);
const headers = { 'content-type': 'application/graphql-response+json; charset=utf-8', 'content-length': String(bytes.length) };
createServer((req, res) => {
  // The body is read (as every server must) and dropped.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(bytes);
  });
}).listen(Number(port), '127.0.0.1', () => console.log(`precomputed on ${port}`));
