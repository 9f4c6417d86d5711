/**
 * A caller flooding erpfront: `concurrency` requests in flight at all times for `durationMs`, as a
 * misbehaving storefront or script would; with the answers it got and the latencies of another,
 * well-behaved caller measured meanwhile.
 */
import type { GraphQLAnswer } from './stack.ts';

export interface FloodResult {
  answers: GraphQLAnswer[];
  /** From the first request sent to the last one sent (ms). */
  elapsedMs: number;
}

/** Sends `send(i)` from `concurrency` loops until `durationMs` has passed. */
export async function flood(send: (i: number) => Promise<GraphQLAnswer>, options: { concurrency: number; durationMs: number }): Promise<FloodResult> {
  const answers: GraphQLAnswer[] = [];
  const started = performance.now();
  let lastSent = started;
  let i = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() - started < options.durationMs) {
        lastSent = performance.now();
        answers.push(await send(i++));
      }
    }),
  );
  return { answers, elapsedMs: lastSent - started };
}

/** Latencies (ms) of `count` requests sent one after the other, and whether each was a 200 without errors. */
export async function timed(count: number, send: () => Promise<GraphQLAnswer>): Promise<{ ms: number[]; ok: boolean[] }> {
  const ms: number[] = [];
  const ok: boolean[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const answer = await send();
    ms.push(performance.now() - started);
    ok.push(answer.status === 200 && answer.body.errors === undefined);
  }
  return { ms, ok };
}

/** The `q` quantile (0..1) of `values`. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
