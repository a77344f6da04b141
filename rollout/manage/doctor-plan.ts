// Doctor's planner: from a snapshot and the content facts of its copies, every finding with one
// stable code and either the actions that repair it or why it needs a human. Pure: no I/O (process
// liveness, lock probes and the clock come in through `PlanContext`), tested on in-memory snapshots.
//
// The rule it keeps: no action deletes or shrinks bytes that are not held elsewhere. A form is
// removed only when the other form (or an identical copy) holds all of it; a rewrite only cuts
// fragments of torn records; a file with nothing parseable is moved whole to the quarantine.
import * as path from 'node:path';
import { ARCHIVED_DIR, SESSIONS_DIR, zstPathOf } from '../paths.js';
import type { CopyFacts, FormFacts, StoreFacts } from './inspect.js';
import { decidePair, stampOf, type Action, type PairRelation, rightDirOf, type Copy, type StoreSnapshot, type TempFile, type ThreadSnapshot, type StoreFile } from '../store/index.js';

/** Names this recent may belong to a thread whose rollout is not written yet. */
export const NAME_GRACE_MS = 10 * 60_000;
/** Temp files older than this belong to no live run elsewhere (live runs finish well within it). */
export const TEMP_STALE_MS = 60 * 60_000;

export type Fix = 'repaired' | 'repairable' | 'manual' | 'in_use' | 'failed' | 'changed';

export type Finding =
  | { kind: 'torn_lines'; id: string; path: string; torn: number; corrupt: number; truncated: boolean; lines: number[]; records_kept: number; dropped_bytes: number }
  | { kind: 'no_record'; id: string; path: string; bytes: number }
  | { kind: 'pair_mismatch'; id: string; plain: string; zst: string; relation: PairRelation | 'zst_unreadable' | 'plain_unreadable' }
  | { kind: 'unreadable'; id: string | null; path: string; message: string }
  | { kind: 'orphan_temp'; path: string; bytes: number; age_ms: number }
  | { kind: 'stale_lock'; path: string; lock: 'compression' | 'thread'; reason: string }
  | { kind: 'misplaced'; id: string; path: string; problem: 'archived_in_subfolder' | 'active_outside_day_folder' | 'in_both_trees'; target: string | null }
  | { kind: 'not_a_file'; id: string; path: string; entry: 'directory' | 'other' }
  | { kind: 'dangling_name'; id: string; name: string | null; line: number }
  | { kind: 'stray_file'; path: string; bytes: number };

export type FindingCode =
  | 'STORE_TORN_LINES'
  | 'STORE_NO_RECORD'
  | 'STORE_PAIR_MISMATCH'
  | 'STORE_UNREADABLE'
  | 'STORE_ORPHAN_TEMP'
  | 'STORE_STALE_LOCK'
  | 'STORE_MISPLACED'
  | 'STORE_NOT_A_FILE'
  | 'STORE_DANGLING_NAME'
  | 'STORE_STRAY_FILE';

export function codeOf(kind: Finding['kind']): FindingCode {
  return `STORE_${kind.toUpperCase()}` as FindingCode;
}

export interface Planned {
  finding: Finding;
  code: FindingCode;
  fix: 'repairable' | 'manual' | 'in_use';
  detail: string;
  /** What --repair does (empty unless repairable). */
  actions: Action[];
  /** The thread whose lock the actions need (findings of one thread are applied together). */
  thread?: string;
}

export interface PlanContext {
  now: number;
  /** A live process holds the thread's writer lock. */
  locked: (id: string) => boolean;
  /** Who, for messages. */
  holder: (id: string) => string;
  /** The process named by a temp is alive (and on this host). */
  tempOwnerLive: (t: TempFile) => boolean;
  /** The temp's owner ran on this host (so its liveness is known). */
  tempOwnerHere: (t: TempFile) => boolean;
  /** Why the compression lock is stale (undefined: live or absent), judged with the configured limit. */
  compressionLockStale?: string;
}

export function planDoctor(s: StoreSnapshot, facts: StoreFacts, ctx: PlanContext): Planned[] {
  const out: Planned[] = [];
  const push = (finding: Finding, fix: Planned['fix'], detail: string, actions: Action[] = [], thread?: string) =>
    out.push({ finding, code: codeOf(finding.kind), fix, detail, actions, ...(thread ? { thread } : {}) });

  for (const p of s.problems) push({ kind: 'unreadable', id: null, path: p.path, message: p.message }, 'manual', 'check permissions');
  for (const o of s.odd) {
    const what = o.kind === 'directory' ? 'a directory' : 'not a regular file';
    push({ kind: 'not_a_file', id: o.rollout.id, path: o.path, entry: o.kind }, 'manual', `${what} where a rollout file belongs; readers skip it; move it out of the store by hand`);
  }
  for (const t of s.temps) planTemp(t, ctx, push);
  for (const f of s.strays) push({ kind: 'stray_file', path: f.path, bytes: f.size }, 'manual', 'not a rollout file; readers ignore it');
  if (s.compressionLock && ctx.compressionLockStale) {
    push({ kind: 'stale_lock', path: s.compressionLock, lock: 'compression', reason: ctx.compressionLockStale }, 'repairable', 'blocks the compression worker; --repair removes it', [
      { kind: 'remove_compression_lock', path: s.compressionLock },
    ]);
  }
  for (const id of s.threadLockFiles) {
    if (ctx.locked(id)) continue;
    push(
      { kind: 'stale_lock', path: path.join(s.home, 'thread-writer-locks', `${id}.lock`), lock: 'thread', reason: 'lock file of a writer that is gone (nobody holds the flock)' },
      'repairable',
      'harmless (flock locks die with their process); --repair removes the file',
      [{ kind: 'remove_thread_lock', thread: id }],
    );
  }
  const taken = takenPaths(s);
  for (const t of s.threads) {
    const list = planThread(s.home, t, facts, taken);
    // What a live writer may be in the middle of is in use, not damage to repair.
    const busy = list.some((p) => p.fix === 'repairable') && ctx.locked(t.id);
    for (const p of list) {
      if (busy && p.fix === 'repairable') out.push({ ...p, fix: 'in_use', detail: `writer lock held by ${ctx.holder(t.id)}; ${p.detail}`, actions: [] });
      else out.push(p);
    }
  }
  const ids = new Set(s.threads.map((t) => t.id));
  for (const e of s.index) {
    if (ids.has(e.id)) continue;
    if (e.updatedAt && ctx.now - Date.parse(e.updatedAt) < NAME_GRACE_MS) continue;
    push({ kind: 'dangling_name', id: e.id, name: e.name ?? null, line: e.line }, 'repairable', 'no rollout has this id; --repair removes the entry from session_index.jsonl', [{ kind: 'drop_index_entries', ids: [e.id] }]);
  }
  return out;
}

function takenPaths(s: StoreSnapshot): Set<string> {
  const set = new Set<string>(s.odd.map((o) => o.path));
  for (const t of s.threads) for (const c of t.copies) for (const f of [c.plain, c.zst]) if (f) set.add(f.path);
  return set;
}

function planTemp(t: TempFile, ctx: PlanContext, push: (f: Finding, fix: Planned['fix'], detail: string, actions?: Action[], thread?: string) => void): void {
  // Writers copy the source's old mtime onto their temps: the ctime tells when it was made.
  const age = ctx.now - Math.max(t.mtimeMs, t.ctimeMs);
  const here = t.owner !== undefined && ctx.tempOwnerHere(t);
  if (here && ctx.tempOwnerLive(t)) return; // a live run's temp
  if (!here && age < TEMP_STALE_MS) return; // may belong to a live run elsewhere
  const f: Finding = { kind: 'orphan_temp', path: t.path, bytes: t.size, age_ms: Math.round(age) };
  if (t.id && ctx.locked(t.id)) return push(f, 'in_use', 'its thread has a live writer');
  const expect = stampOf(t);
  if (t.kind === 'other') {
    // Not one of ours: nothing says its bytes are held elsewhere.
    return push(f, 'repairable', 'an unknown temp file left in the store; --repair moves it to the quarantine', [{ kind: 'quarantine', path: t.path, expect, ...(t.id ? { thread: t.id } : {}) }], t.id);
  }
  // Ours: compression, materialize and rewrites leave their source in place until the temp is
  // linked or renamed into place, so a leftover temp is a copy of bytes the store still holds.
  return push(f, 'repairable', 'left by a crashed run; --repair removes it', [{ kind: 'remove', path: t.path, expect, keptIn: 'its source (a crashed run never removes the source before the temp is in place)', ...(t.id ? { thread: t.id } : {}) }], t.id);
}

interface SimCopy {
  key: string;
  root: Copy['root'];
  dir: string;
  plain?: StoreFile;
  zst?: StoreFile;
  facts: CopyFacts;
}

/** Findings of one thread, in the order they are repaired: pairs, then placement, then content. */
export function planThread(home: string, t: ThreadSnapshot, facts: StoreFacts, taken: ReadonlySet<string>): Planned[] {
  const out: Planned[] = [];
  const push = (finding: Finding, fix: Planned['fix'], detail: string, actions: Action[] = []) => out.push({ finding, code: codeOf(finding.kind), fix, detail, actions, thread: t.id });
  let copies: SimCopy[] = t.copies.map((c) => ({ key: c.key, root: c.root, dir: c.dir, ...(c.plain ? { plain: c.plain } : {}), ...(c.zst ? { zst: c.zst } : {}), facts: facts.get(c.key) ?? {} }));

  // 1. plain + zst pairs: the superset wins.
  for (const c of copies) {
    if (!c.plain || !c.zst) continue;
    const pf = c.facts.plain;
    const zf = c.facts.zst;
    const relation = !pf?.ok ? 'plain_unreadable' : !zf?.ok ? 'zst_unreadable' : (c.facts.relation ?? 'diverged');
    const f: Finding = { kind: 'pair_mismatch', id: t.id, plain: c.plain.path, zst: c.zst.path, relation };
    if (relation === 'plain_unreadable') {
      push(f, 'manual', `the plain file cannot be read (${pf && !pf.ok ? pf.message : '?'}); fix permissions, then run doctor again`);
      continue;
    }
    if (relation === 'zst_unreadable') {
      push(f, 'manual', 'the .zst is corrupt; readers use the plain file. Remove the .zst once you are sure the plain file is complete');
      continue;
    }
    const decision = decidePair(relation, false);
    if ('manual' in decision) {
      push(f, 'manual', `${decision.manual}. Export both (zstd -dc) and keep what you need`);
      continue;
    }
    const dropPlain = decision.drop === 'plain';
    const drop = dropPlain ? c.plain : c.zst;
    const keep = dropPlain ? c.zst : c.plain;
    const why = decision.why;
    push(f, 'repairable', `${why}; --repair removes ${path.basename(drop.path)}`, [{ kind: 'remove', thread: t.id, path: drop.path, expect: stampOf(drop), keptIn: keep.path, keptExpect: stampOf(keep) }]);
    if (dropPlain) {
      delete c.plain;
      c.facts = { ...(c.facts.zst ? { zst: c.facts.zst } : {}) };
    } else {
      delete c.zst;
      c.facts = { ...(c.facts.plain ? { plain: c.facts.plain } : {}) };
    }
  }

  // 2. placement
  const readable = (c: SimCopy): FormFacts | undefined => (c.plain ? c.facts.plain : c.facts.zst);
  const inActive = copies.filter((c) => c.key.startsWith(path.join(home, SESSIONS_DIR) + path.sep));
  const inArchived = copies.filter((c) => c.key.startsWith(path.join(home, ARCHIVED_DIR) + path.sep));
  if (inActive.length && inArchived.length) {
    const a = inActive[0]!;
    const aFile = (a.plain ?? a.zst)!;
    const af = readable(a);
    for (const c of inArchived) {
      const f0 = (c.plain ?? c.zst)!;
      const f: Finding = { kind: 'misplaced', id: t.id, path: f0.path, problem: 'in_both_trees', target: null };
      const cf = readable(c);
      if (c.plain && c.zst) push(f, 'manual', 'its plain and .zst forms disagree (see the pair finding); resolve that first');
      else if (!(af?.ok && cf?.ok && af.digest === cf.digest)) push(f, 'manual', `differs from the copy in ${SESSIONS_DIR}/ (${aFile.path}); keep one by hand`);
      else {
        push(f, 'repairable', `identical to ${aFile.path}; --repair removes the archived copy (archive again with codex archive)`, [
          { kind: 'remove', thread: t.id, path: f0.path, expect: stampOf(f0), keptIn: aFile.path },
        ]);
        copies = copies.filter((x) => x !== c);
      }
    }
  } else {
    for (const c of copies) {
      const f0 = (c.plain ?? c.zst)!;
      const right = rightDirOf(home, c.root, t.stamp);
      if (c.dir === right) continue;
      const target = path.join(right, path.basename(c.key));
      const f: Finding = { kind: 'misplaced', id: t.id, path: f0.path, problem: c.root === 'archived' ? 'archived_in_subfolder' : 'active_outside_day_folder', target };
      if (taken.has(target) || taken.has(zstPathOf(target))) {
        push(f, 'manual', `${target} already exists`);
        continue;
      }
      const actions: Action[] = [];
      for (const x of [c.plain, c.zst]) if (x) actions.push({ kind: 'move', thread: t.id, from: x.path, to: path.join(right, x.name), expect: stampOf(x) });
      push(f, 'repairable', `--repair moves it to ${path.relative(home, right)}/`, actions);
      // Later steps act on the moved files.
      if (c.plain) c.plain = { ...c.plain, path: path.join(right, c.plain.name) };
      if (c.zst) c.zst = { ...c.zst, path: path.join(right, c.zst.name) };
      c.dir = right;
    }
  }

  // 3. the content readers read (plain wins)
  for (const c of copies) {
    const file = c.plain ?? c.zst;
    const ff = readable(c);
    if (!file || !ff) continue;
    const expect = stampOf(file);
    if (!ff.ok) {
      if (ff.code === 'ROLLOUT_ZSTD_CORRUPT') {
        // Nothing decodes from it, and no reader will ever list it: keep its bytes, out of the way.
        push({ kind: 'unreadable', id: t.id, path: file.path, message: `${ff.message} [${ff.code}]` }, 'repairable', 'corrupt or truncated .zst; --repair moves it whole to the quarantine', [
          { kind: 'quarantine', thread: t.id, path: file.path, expect },
        ]);
      } else push({ kind: 'unreadable', id: t.id, path: file.path, message: `${ff.message} [${ff.code}]` }, 'manual', 'fix permissions, then run doctor again');
      continue;
    }
    if (ff.bytes === 0) {
      push({ kind: 'unreadable', id: t.id, path: file.path, message: 'empty rollout file' }, 'manual', 'holds no record; remove it if no writer is creating it');
      continue;
    }
    const d = ff.damage;
    if (d.recordsKept === 0) {
      push({ kind: 'no_record', id: t.id, path: file.path, bytes: file.size }, 'repairable', 'not one parseable record (another format, another encoding, or garbage); --repair moves it whole to the quarantine', [
        { kind: 'quarantine', thread: t.id, path: file.path, expect },
      ]);
      continue;
    }
    if (d.torn + d.corrupt === 0 && !d.truncated) continue;
    const f: Finding = { kind: 'torn_lines', id: t.id, path: file.path, torn: d.torn, corrupt: d.corrupt, truncated: d.truncated, lines: d.lines, records_kept: d.recordsKept, dropped_bytes: d.droppedBytes };
    if (d.foreignBytes > 0) {
      push(f, 'manual', `${d.foreignBytes} damaged bytes are not fragments of a record; readers skip them. Left as is: inspect the lines by hand`);
      continue;
    }
    push(f, 'repairable', `--repair rewrites it keeping all ${d.recordsKept} parseable records (${d.droppedBytes} bytes of torn record fragments dropped)`, [
      { kind: 'rewrite', thread: t.id, path: file.path, expect },
    ]);
  }
  return out;
}
