// The executor: applies planned actions, those of one thread together under its writer lock,
// re-checking before each that the file is still what the plan saw (size and mtime). A thread
// whose lock is held is left alone; a file that changed since the scan stops that thread's repair.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zstdCompress } from '../../native/index.js';
import { errText, fsyncDir, writeFileAtomic } from '../../protocol/index.js';
import { describeHolder, readLockHolder, tryThreadWriterLock, type ThreadWriterLock } from '../locks.js';
import { readContent } from '../reader.js';
import type { CodexIndex } from '../codex-index.js';
import { threadOf, type Action, type FileStamp } from './actions.js';
import { removeStaleCompressionLock, type StaleRule } from './compression-lock.js';
import { analyzeContent } from './damage.js';
import { moveToQuarantine } from './quarantine.js';
import { removeIndexEntries } from './session-index.js';

export type Outcome =
  | { status: 'done'; detail: string; quarantined?: string }
  | { status: 'in_use'; detail: string }
  | { status: 'changed'; detail: string }
  /** `error` is what was thrown (its errno code, if any, is a field of it, not part of `detail`). */
  | { status: 'failed'; detail: string; error: unknown };

export interface ApplyContext {
  home: string;
  now: () => number;
  staleRule: StaleRule;
  /** Codex 0.169's thread index, kept in step with what the actions change (when open). */
  index?: CodexIndex;
}

class Changed extends Error {}
class InUse extends Error {}

function recheck(p: string, expect: FileStamp): void {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st || !st.isFile() || st.size !== expect.size || st.mtimeMs !== expect.mtimeMs) throw new Changed(`${p} changed since the scan; run doctor again`);
}

/** Apply one action; the caller holds the thread's lock when the action names a thread. */
async function applyOne(a: Action, ctx: ApplyContext): Promise<{ detail: string; quarantined?: string }> {
  switch (a.kind) {
    case 'remove':
      recheck(a.path, a.expect);
      fs.unlinkSync(a.path);
      fsyncDir(path.dirname(a.path));
      // A form of a rollout removed in favour of the other: Codex's row follows the one kept.
      if (a.thread && /\.jsonl(\.zst)?$/.test(a.keptIn)) ctx.index?.setPath(a.thread, a.keptIn);
      return { detail: `removed ${path.basename(a.path)} (its content is in ${a.keptIn})` };
    case 'quarantine': {
      recheck(a.path, a.expect);
      const to = moveToQuarantine(ctx.home, a.path, ctx.now());
      return { detail: `moved whole to ${to}`, quarantined: to };
    }
    case 'move': {
      recheck(a.from, a.expect);
      if (fs.existsSync(a.to)) throw new Changed(`${a.to} appeared since the scan; run doctor again`);
      fs.mkdirSync(path.dirname(a.to), { recursive: true });
      fs.renameSync(a.from, a.to);
      fsyncDir(path.dirname(a.to));
      fsyncDir(path.dirname(a.from));
      if (a.to.endsWith('.jsonl') || !fs.existsSync(a.to.replace(/\.zst$/, ''))) ctx.index?.setPath(a.thread, a.to);
      return { detail: `moved to ${path.relative(ctx.home, path.dirname(a.to))}/` };
    }
    case 'rewrite': {
      recheck(a.path, a.expect);
      const st = fs.statSync(a.path);
      // Re-judged on what is there now: only fragments of torn records may go.
      const { damage, repaired } = analyzeContent(await readContent(a.path));
      if (damage.recordsKept === 0 || damage.foreignBytes > 0) throw new Changed(`${a.path} changed since the scan; run doctor again`);
      if (!repaired) return { detail: 'nothing left to repair' };
      const bytes = a.path.endsWith('.zst') ? await zstdCompress(repaired, 3) : repaired;
      writeFileAtomic(a.path, bytes, { tag: 'rollout-manage', like: st, beforeRename: () => sameStamp(a.path, st) });
      return { detail: `rewrote it keeping all ${damage.recordsKept} parseable records` };
    }
    case 'remove_thread_lock': {
      // Taking and releasing the lock removes the file under the coordination lock, as a writer does.
      const lock = tryThreadWriterLock(ctx.home, a.thread);
      if (!lock) throw new InUse('a writer took it meanwhile');
      lock.release();
      return { detail: 'removed' };
    }
    case 'remove_compression_lock':
      if (!removeStaleCompressionLock(a.path, ctx.staleRule)) throw new InUse('a compression worker took it over meanwhile');
      return { detail: 'removed' };
    case 'prune_thread': {
      for (const f of a.files) {
        const st = fs.statSync(f.path, { throwIfNoEntry: false });
        if (!st) throw new Changed('changed since the scan: a file moved or disappeared');
        if (st.size !== f.expect.size || st.mtimeMs !== f.expect.mtimeMs) throw new Changed('changed since the scan: written to meanwhile');
      }
      for (const f of a.files) {
        try {
          fs.unlinkSync(f.path);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      }
      for (const d of new Set(a.files.map((f) => path.dirname(f.path)))) fsyncDir(d);
      ctx.index?.removed(a.thread);
      return { detail: 'removed' };
    }
    case 'drop_index_entries': {
      const n = removeIndexEntries(ctx.home, new Set(a.ids));
      return { detail: n ? 'removed from session_index.jsonl' : 'already gone from session_index.jsonl' };
    }
  }
}

function sameStamp(p: string, st: fs.Stats): boolean {
  const now = fs.statSync(p, { throwIfNoEntry: false });
  return now !== undefined && now.size === st.size && now.mtimeMs === st.mtimeMs;
}

/**
 * Apply groups of actions (one group per finding). Groups of one thread run under one hold of its
 * lock, in order; after a group fails or finds a change, the thread's later groups are not tried.
 */
export async function applyGroups(groups: readonly { actions: readonly Action[] }[], ctx: ApplyContext): Promise<Outcome[]> {
  const out: Outcome[] = new Array(groups.length);
  const byThread = new Map<string, number[]>();
  const loose: number[] = [];
  groups.forEach((g, i) => {
    const t = g.actions.map(threadOf).find((x) => x !== undefined);
    if (t === undefined) loose.push(i);
    else byThread.set(t, [...(byThread.get(t) ?? []), i]);
  });
  for (const i of loose) out[i] = await runGroup(groups[i]!.actions, ctx);
  for (const [id, idx] of byThread) {
    let lock: ThreadWriterLock | undefined;
    try {
      lock = tryThreadWriterLock(ctx.home, id);
    } catch (e) {
      for (const i of idx) out[i] = { status: 'failed', detail: errText(e), error: e };
      continue;
    }
    if (!lock) {
      const detail = `writer lock held by ${describeHolder(readLockHolder(ctx.home, id))}`;
      for (const i of idx) out[i] = { status: 'in_use', detail };
      continue;
    }
    try {
      let stopped: string | undefined;
      for (const i of idx) {
        if (stopped) {
          out[i] = { status: 'changed', detail: `not tried: ${stopped}` };
          continue;
        }
        out[i] = await runGroup(groups[i]!.actions, ctx);
        if (out[i]!.status !== 'done') stopped = out[i]!.detail;
      }
    } finally {
      lock.release();
    }
  }
  return out;
}

async function runGroup(actions: readonly Action[], ctx: ApplyContext): Promise<Outcome> {
  const details: string[] = [];
  let quarantined: string | undefined;
  for (const a of actions) {
    try {
      const r = await applyOne(a, ctx);
      details.push(r.detail);
      if (r.quarantined) quarantined = r.quarantined;
    } catch (e) {
      if (e instanceof Changed) return { status: 'changed', detail: e.message };
      if (e instanceof InUse) return { status: 'in_use', detail: e.message };
      return { status: 'failed', detail: errText(e), error: e };
    }
  }
  return { status: 'done', detail: details.join('; '), ...(quarantined ? { quarantined } : {}) };
}
