/**
 * Vitest global setup: starts building today's Tryton demo template (tryton.ts) as the run
 * starts, in the background, so it is ready (or nearly) when the Tryton files start. Built by the
 * first Tryton file instead, it took 80 s beside other files on 2 cores, with every other Tryton
 * file that had started by then waiting on it and holding a slot of the run idle.
 *
 * Nothing is awaited here: the run goes on at once; the files wait on the template's lock as
 * before. The teardown waits for the build, so no trytond is left running.
 *
 * @module
 */
import { trytonInstalled, trytonTemplate } from './tryton.ts';

export default function setup(): (() => Promise<void>) | undefined {
  if (!trytonInstalled()) return undefined;
  // A failure is the Tryton files' to report (they build it again, and say why).
  const building = trytonTemplate().catch(() => {});
  return async () => {
    await building;
  };
}
