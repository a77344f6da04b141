// `codex sessions prune`: remove threads last written before a cutoff. Never automatic, and
// `--dry-run` changes nothing. Each thread is removed under its writer lock (a thread whose lock
// is held is skipped and reported), after re-checking that its files did not change since the
// plan. The thread's session_index.jsonl entries go too, so no name points at nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openCodexIndex, type CodexIndex } from '../codex-index.js';
import { describeHolder, isThreadLocked, readLockHolder, type LockOptions } from '../locks.js';
import type { StoreWarning } from '../warnings.js';
import { readSessionMeta } from './meta.js';
import { planPrune, pruneAction } from './prune-plan.js';
import type { ThreadFiles } from './threads.js';
import { mapLimit } from './map-limit.js';
import { applyGroups, removeIndexEntries, threadsOf, walkStore, type WalkProblem } from '../store/index.js';

export interface PruneOptions {
  home: string;
  olderThanMs: number;
  archivedOnly: boolean;
  source?: string;
  dryRun: boolean;
  now?: number;
  /** Where the thread locks live (the configured directory). */
  lock?: LockOptions;
  onWarning?: (w: StoreWarning) => void;
  /** Test seam: runs after the plan, right before a thread's removal is attempted. */
  beforeRemove?: (id: string) => void;
}

export interface PrunedThread {
  id: string;
  paths: string[];
  bytes: number;
  archived: boolean;
  last_write: string;
  created: string;
  /** session_meta.source; read only when filtering by source, else null. */
  source: string | null;
}

export interface SkippedThread {
  id: string;
  paths: string[];
  reason: string;
}

export interface PruneReport {
  dry_run: boolean;
  cutoff: string;
  /** Removed (or, with dry_run, would be removed). */
  removed: PrunedThread[];
  skipped: SkippedThread[];
  bytes_freed: number;
  index_entries_removed: number;
  problems: WalkProblem[];
  /** Why Codex 0.169's thread index (state_5.sqlite) was not kept in step, when it was not. */
  codex_index_note?: string;
}

export async function prune(o: PruneOptions): Promise<PruneReport> {
  const now = o.now ?? Date.now();
  // Both trees even for --archived-only: a thread with a copy left in sessions/ is not archived
  // (ThreadFiles.archived is false) and is left to doctor.
  const { files, problems } = walkStore(o.home);
  const threads = threadsOf(files);
  const candidates = planPrune(threads, { now, olderThanMs: o.olderThanMs, archivedOnly: o.archivedOnly });
  const report: PruneReport = {
    dry_run: o.dryRun,
    cutoff: new Date(now - o.olderThanMs).toISOString(),
    removed: [],
    skipped: [],
    bytes_freed: 0,
    index_entries_removed: 0,
    problems,
  };
  const gone = new Set<string>();
  let index: CodexIndex | undefined;
  if (!o.dryRun && candidates.length) {
    const ix = await openCodexIndex(o.home);
    if ('close' in ix) index = ix;
    else if (ix.note) report.codex_index_note = ix.note;
  }
  try {
    // Heads are read only to filter by source (and in parallel): a plain age prune stays stat-only.
    const sources = o.source !== undefined ? await mapLimit(candidates, 16, (t) => sourceOf(t, o.onWarning)) : undefined;
    for (const [i, t] of candidates.entries()) {
      const source = sources?.[i];
      if (o.source !== undefined && source !== o.source) continue;
      const item: PrunedThread = {
        id: t.id,
        paths: t.files.map((f) => f.path),
        bytes: t.bytes,
        archived: t.archived,
        last_write: new Date(t.lastWriteMs).toISOString(),
        created: t.stamp,
        source: source ?? null,
      };
      o.beforeRemove?.(t.id);
      const outcome = o.dryRun ? probe(o.home, t, o.lock ?? {}) : await removeThread(o.home, t, index, o.lock ?? {});
      if (outcome !== true) {
        report.skipped.push({ id: t.id, paths: item.paths, reason: outcome });
        continue;
      }
      report.removed.push(item);
      report.bytes_freed += t.bytes;
      gone.add(t.id);
    }
  } finally {
    index?.close();
  }
  if (!o.dryRun) {
    report.index_entries_removed = removeIndexEntries(o.home, gone);
    removeEmptyDayDirs(o.home, report.removed, now);
  } else {
    report.index_entries_removed = countIndexEntries(o.home, gone);
  }
  return report;
}

async function sourceOf(t: ThreadFiles, onWarning?: (w: StoreWarning) => void): Promise<string | undefined> {
  // Plain wins when both forms exist, as for every reader.
  const f = t.files.find((x) => !x.rollout!.compressed) ?? t.files[0]!;
  return (await readSessionMeta(f.path, onWarning))?.source;
}

/** Dry run: report what a real run would skip because a writer holds the thread. */
function probe(home: string, t: ThreadFiles, lock: LockOptions): true | string {
  // Read-only probe: a dry run creates no lock file, so it also works on a store it cannot write.
  if (isThreadLocked(home, t.id, lock)) return `in use: writer lock held by ${describeHolder(readLockHolder(home, t.id, lock))}`;
  return true;
}

/** The planned removal, through the maintenance executor (thread lock, re-check, unlink, index row). */
async function removeThread(home: string, t: ThreadFiles, index: CodexIndex | undefined, lock: LockOptions): Promise<true | string> {
  const [r] = await applyGroups([{ actions: [pruneAction(t)] }], { home, lock, now: Date.now, staleRule: { staleMs: 0, now: Date.now }, ...(index ? { index } : {}) });
  if (r!.status === 'done') return true;
  if (r!.status === 'in_use') return `in use: ${r!.detail}`;
  if (r!.status === 'failed') throw Object.assign(new Error(r!.detail), { code: /^(E[A-Z]+):/.exec(r!.detail)?.[1] });
  return r!.detail;
}

function countIndexEntries(home: string, ids: ReadonlySet<string>): number {
  try {
    return fs
      .readFileSync(path.join(home, 'session_index.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => {
        try {
          const v = JSON.parse(l) as { id?: unknown };
          return typeof v.id === 'string' && ids.has(v.id.toLowerCase());
        } catch {
          return false;
        }
      }).length;
  } catch {
    return 0;
  }
}

/**
 * Day folders (sessions/YYYY/MM/DD) emptied by the prune, then their month and year folders.
 * Only past days: a recorder may be about to create today's folder for a new session.
 */
function removeEmptyDayDirs(home: string, removed: readonly PrunedThread[], now: number): void {
  const today = new Date(now);
  const todayDir = path.join(home, 'sessions', String(today.getFullYear()), String(today.getMonth() + 1).padStart(2, '0'), String(today.getDate()).padStart(2, '0'));
  const sessionsRoot = path.join(home, 'sessions');
  const dirs = new Set<string>();
  for (const r of removed) for (const p of r.paths) dirs.add(path.dirname(p));
  for (const d of dirs) {
    let dir = d;
    while (dir.startsWith(sessionsRoot + path.sep) && !todayDir.startsWith(dir)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        break; // not empty (or gone): stop climbing
      }
      dir = path.dirname(dir);
    }
  }
}
