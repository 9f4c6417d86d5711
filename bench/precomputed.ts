/**
 * The ceiling: node:http answering every POST with the page's bytes, computed once (no parse, no
 * GraphQL, no JSON). Usage: node bench/precomputed.ts <response.json> <port> [work µs]
 *
 * With `work µs`, each answer first spends that long on the CPU (a busy wait, standing for a
 * handler's own work): `bench/hit-budget.ts` finds with it how much work per request leaves half
 * of the ceiling's throughput, the budget of a response-cache hit.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const [file, port, work] = process.argv.slice(2);
const bytes = readFileSync(file!);
const workMs = Number(work ?? 0) / 1000;
const headers = { 'content-type': 'application/graphql-response+json; charset=utf-8', 'content-length': String(bytes.length) };
createServer((req, res) => {
  // The body is read (as every server must) and dropped.
  req.resume();
  req.on('end', () => {
    if (workMs > 0) for (const until = performance.now() + workMs; performance.now() < until; );
    res.writeHead(200, headers);
    res.end(bytes);
  });
}).listen(Number(port), '127.0.0.1', () => console.log(`precomputed on ${port}`));
