// One stat-only scan of a store into the model every maintenance planner works on: each thread's
// physical copies (a copy = the plain and/or .zst form in one directory), temp files, stray files,
// entries that are not files, lock files and the name index. Opens no rollout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempOwner } from './temps.js';
import { readdirNames } from '../fsutil.js';
import { threadLockDir, type LockOptions } from '../locks.js';
import { ARCHIVED_DIR, SESSIONS_DIR, STORE_TMP_DIR, isUuid, plainPathOf } from '../paths.js';
import { readIndexEntries } from './session-index.js';
import { stampDayDir, walkStore, type OddEntry, type StoreFile, type StoreRoot, type WalkProblem } from './walk.js';

export interface Copy {
  /** The plain path of this copy (the key of the copy whether or not the plain form exists). */
  key: string;
  dir: string;
  root: StoreRoot;
  plain?: StoreFile;
  zst?: StoreFile;
}

export interface ThreadSnapshot {
  id: string;
  stamp: string;
  copies: Copy[];
}

export type TempKind = 'compress' | 'materialize' | 'rewrite' | 'other';

export interface TempFile {
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  kind: TempKind;
  /** The process that made it, when its name says (host undefined: this host). */
  owner?: { host?: string; pid: number };
  /** The thread it belongs to, when its name holds a uuid. */
  id?: string;
}

export interface IndexEntry {
  id: string;
  name?: string;
  updatedAt?: string;
  line: number;
}

export interface StoreSnapshot {
  home: string;
  threads: ThreadSnapshot[];
  temps: TempFile[];
  /** Files in the trees that are neither rollouts nor temps. */
  strays: StoreFile[];
  /** Rollout names that are not regular files. */
  odd: OddEntry[];
  problems: WalkProblem[];
  /** Ids with a file in thread-writer-locks/. */
  threadLockFiles: string[];
  /** `.tmp/rollout-compression.lock`, when present. */
  compressionLock?: string;
  index: IndexEntry[];
}

/** Temp names: ours and Codex's end in `.tmp`; tools commonly use `.tmp-…` infixes. */
export function isTempName(name: string): boolean {
  return name.endsWith('.tmp') || /\.tmp[-.]/.test(name);
}

export function uuidIn(name: string): string | undefined {
  const m = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(name);
  return m ? m[0].toLowerCase() : undefined;
}

export function tempFileOf(p: string, size: number, mtimeMs: number, ctimeMs: number): TempFile {
  const name = path.basename(p);
  const compress = tempOwner(name, 'compress');
  const materialize = compress ? undefined : tempOwner(name, 'materialize');
  const kind: TempKind = compress ? 'compress' : materialize ? 'materialize' : name.startsWith('.rollout-manage-') ? 'rewrite' : 'other';
  const owner = compress ?? materialize ?? (kind === 'rewrite' ? rewriteOwner(name) : undefined);
  const id = uuidIn(name);
  return { path: p, name, size, mtimeMs, ctimeMs, kind, ...(owner ? { owner } : {}), ...(id ? { id } : {}) };
}

/** `.rollout-manage-<name>.<pid>.<hex>.tmp` (atomic rewrites, see fsutil.tempBeside). */
function rewriteOwner(name: string): { pid: number } | undefined {
  const m = /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
  return m ? { pid: Number(m[1]) } : undefined;
}

/** Group rollout files into threads and copies. Pure (used by the planners' tests too). */
export function threadsOf(files: readonly StoreFile[]): ThreadSnapshot[] {
  const byId = new Map<string, ThreadSnapshot>();
  const byKey = new Map<string, Copy>();
  for (const f of files) {
    if (!f.rollout) continue;
    let t = byId.get(f.rollout.id);
    if (!t) byId.set(f.rollout.id, (t = { id: f.rollout.id, stamp: f.rollout.stamp, copies: [] }));
    const key = plainPathOf(f.path);
    let c = byKey.get(key);
    if (!c) {
      byKey.set(key, (c = { key, dir: path.dirname(f.path), root: f.root }));
      t.copies.push(c);
    }
    if (f.rollout.compressed) c.zst = f;
    else c.plain = f;
  }
  return [...byId.values()];
}

/** The directory a copy of a thread with this stamp belongs in. */
export function rightDirOf(home: string, root: StoreRoot, stamp: string): string {
  return root === 'archived' ? path.join(home, ARCHIVED_DIR) : path.join(home, SESSIONS_DIR, ...stampDayDir(stamp).split('/'));
}

export function scanStore(home: string, lock: LockOptions = {}): StoreSnapshot {
  const { files, problems, odd } = walkStore(home);
  const temps: TempFile[] = [];
  const strays: StoreFile[] = [];
  for (const f of files) {
    if (f.rollout) continue;
    if (isTempName(f.name)) temps.push(tempFileOf(f.path, f.size, f.mtimeMs, f.ctimeMs));
    else strays.push(f);
  }
  const tmpDir = path.join(home, STORE_TMP_DIR);
  let compressionLock: string | undefined;
  for (const n of readdirNames(tmpDir) ?? []) {
    const p = path.join(tmpDir, n);
    if (n === 'rollout-compression.lock') {
      compressionLock = p;
      continue;
    }
    if (!isTempName(n)) continue;
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (st?.isFile()) temps.push(tempFileOf(p, st.size, st.mtimeMs, st.ctimeMs));
  }
  const threadLockFiles: string[] = [];
  for (const n of readdirNames(threadLockDir(home, lock)) ?? []) {
    if (!n.endsWith('.lock') || n.startsWith('.')) continue;
    const id = n.slice(0, -5);
    if (isUuid(id)) threadLockFiles.push(id);
  }
  const index = readIndexEntries(home).map((e) => ({ id: e.id, line: e.line, ...(e.name !== undefined ? { name: e.name } : {}), ...(e.updatedAt !== undefined ? { updatedAt: e.updatedAt } : {}) }));
  return { home, threads: threadsOf(files), temps, strays, odd, problems, threadLockFiles, ...(compressionLock ? { compressionLock } : {}), index };
}
