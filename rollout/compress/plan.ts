// The compressor's planner: from the store snapshot's threads (store/snapshot.ts, the same model
// doctor and prune plan on), the plain archived rollouts to compress and the plain + .zst pairs to
// reconcile. Pure.
import { type ThreadSnapshot } from '../store/index.js';

export interface Work {
  id: string;
  plain: string;
  size: number;
  /** Both forms present: reconcile instead of compress. */
  pair: boolean;
  cold: boolean;
}

/** Only copies directly in `archivedDir` (a copy in a subfolder is doctor's to move first). */
export function planCompression(threads: readonly ThreadSnapshot[], archivedDir: string, nowMs: number, minAgeMs: number): { work: Work[]; notCold: number } {
  const work: Work[] = [];
  let notCold = 0;
  for (const t of threads) {
    for (const c of t.copies) {
      if (c.dir !== archivedDir || !c.plain) continue;
      const cold = nowMs - c.plain.mtimeMs >= minAgeMs;
      const pair = c.zst !== undefined;
      if (!cold && !pair) {
        notCold++;
        continue;
      }
      work.push({ id: t.id, plain: c.plain.path, size: c.plain.size, pair, cold });
    }
  }
  work.sort((a, b) => (a.plain < b.plain ? -1 : a.plain > b.plain ? 1 : 0));
  return { work, notCold };
}
