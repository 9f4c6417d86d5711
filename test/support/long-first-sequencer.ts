/**
 * The order test files start in: vitest's own (its groups, then the longest first by the durations
 * of the last run it cached, else the largest file first), with the files named here moved to the
 * front of their group.
 *
 * Why: a fresh checkout (CI's `npm ci` included) has no cached durations, so vitest starts the
 * largest files first, and a short file that runs long (the fault campaign: 39 lines, about a
 * minute) starts last and runs alone at the end of the parallel part, with the other slots idle
 * (80 s of a 665 s run, measured). Started first, it runs beside the others.
 *
 * @module
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** A sequencer class that puts `first` (paths from the repository root, in that order) first. */
export function longFirst(first: readonly string[]) {
  return class LongFirstSequencer extends BaseSequencer {
    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      const sorted = await super.sort(files);
      const rank = (spec: TestSpecification) => {
        const index = first.findIndex((path) => spec.moduleId.endsWith(`/${path}`));
        return index === -1 ? first.length : index;
      };
      const group = (spec: TestSpecification) => spec.project.config.sequence.groupOrder;
      const position = new Map(sorted.map((spec, i) => [spec, i]));
      // Stable: within a group, the named files first, the rest in vitest's order.
      return [...sorted].sort((a, b) => group(a) - group(b) || rank(a) - rank(b) || position.get(a)! - position.get(b)!);
    }
  };
}
