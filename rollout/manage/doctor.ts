// `codex sessions doctor [--repair]`: find what crashes and other tools leave in a store, and fix
// what is safe. Every rewrite goes through temp + fsync + rename under the thread writer lock;
// a thread whose lock is held is reported as in use and left alone. Nothing is ever dropped that
// a reader could parse.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flockRelease, flockTry, zstdCompress } from '../../native/index.js';
import { assertNever } from '../../protocol/index.js';
import { isStale, ownedOnThisHost, parseLockText, tempOwner } from '../compress/index.js';
import { hostName, pidAlive, pidStartMs } from '../compress/proc.js';
import { fsyncDir, readdirNames } from '../fsutil.js';
import { describeHolder, isThreadLocked, readLockHolder, threadLockDir, tryThreadWriterLock, type ThreadWriterLock } from '../locks.js';
import { ARCHIVED_DIR, SESSIONS_DIR, STORE_TMP_DIR, isUuid, plainPathOf, zstPathOf } from '../paths.js';
import { ReadWarning, readContent } from '../reader.js';
import { writeFileAtomic } from './atomic.js';
import { analyzeContent, isDamaged, relate, type PairRelation } from './damage.js';
import { readIndexEntries, removeIndexEntries } from './session-index.js';
import { groupThreads } from './threads.js';
import { stampDayDir, walkStore, type StoreFile } from './walk.js';
import { mapLimit } from './map-limit.js';

/** Temp files older than this belong to no live run (live runs finish or heartbeat well within it). */
export const TEMP_STALE_MS = 60 * 60_000;
/** The compression lock's heartbeat limit (see the compression spec). */
export const COMPRESSION_LOCK_STALE_MS = 5 * 60_000;
const THREAD_CONCURRENCY = 8;
/** Names this recent may belong to a thread whose rollout is not written yet. */
const NAME_GRACE_MS = 10 * 60_000;

export type Fix = 'repaired' | 'repairable' | 'manual' | 'in_use' | 'failed';

export type Finding =
  | { kind: 'torn_lines'; id: string; path: string; torn: number; corrupt: number; truncated: boolean; lines: number[]; records_kept: number; dropped_bytes: number }
  | { kind: 'pair_mismatch'; id: string; plain: string; zst: string; relation: PairRelation | 'zst_unreadable' }
  | { kind: 'unreadable'; id: string | null; path: string; message: string }
  | { kind: 'orphan_temp'; path: string; bytes: number; age_ms: number }
  | { kind: 'stale_lock'; path: string; lock: 'compression' | 'thread'; reason: string }
  | { kind: 'misplaced'; id: string; path: string; problem: 'archived_in_subfolder' | 'active_outside_day_folder' | 'in_both_trees'; target: string | null }
  | { kind: 'dangling_name'; id: string; name: string | null; line: number }
  | { kind: 'stray_file'; path: string; bytes: number };

export type Report = Finding & { fix: Fix; detail: string };

export interface DoctorReport {
  home: string;
  repair: boolean;
  /** True when nothing is left to fix (nothing found, or everything found was repaired). */
  healthy: boolean;
  counts: { found: number; repaired: number; remaining: number };
  findings: Report[];
}

export interface DoctorOptions {
  home: string;
  repair: boolean;
  now?: number;
}

export async function doctor(o: DoctorOptions): Promise<DoctorReport> {
  const now = o.now ?? Date.now();
  const home = o.home;
  const out: Report[] = [];
  const add = (f: Finding, fix: Fix, detail: string): void => {
    out.push({ ...f, fix, detail });
  };
  const { files, problems } = walkStore(home);
  for (const p of problems) add({ kind: 'unreadable', id: null, path: p.path, message: p.message }, 'manual', 'check permissions');

  const rollouts = files.filter((f) => f.rollout);
  const others = files.filter((f) => !f.rollout);

  // Temp files inside the trees (materialize, our rewrites, other tools) and stray files.
  for (const f of others) {
    if (isTempName(f.name)) await orphanTemp(f.path, f.size, f.mtimeMs, f.ctimeMs);
    else add({ kind: 'stray_file', path: f.path, bytes: f.size }, 'manual', 'not a rollout file; readers ignore it');
  }
  await storeTmpDir();
  staleLocks();

  // Per thread: placement, plain/zst pairs, then line damage of what remains.
  // Threads are independent: check several at once (reads overlap), report in scan order.
  const perThread = await mapLimit(groupThreads(rollouts), THREAD_CONCURRENCY, (t) => thread(t.id, t.files));
  for (const list of perThread) out.push(...list);

  await danglingNames(new Set(rollouts.map((f) => f.rollout!.id)));

  const repaired = out.filter((r) => r.fix === 'repaired').length;
  return {
    home,
    repair: o.repair,
    healthy: out.every((r) => r.fix === 'repaired'),
    counts: { found: out.length, repaired, remaining: out.length - repaired },
    findings: out,
  };

  async function orphanTemp(p: string, bytes: number, mtimeMs: number, ctimeMs: number): Promise<void> {
    // Writers copy the source's old mtime onto their temps: the ctime tells when it was made.
    const age = now - Math.max(mtimeMs, ctimeMs);
    const name = path.basename(p);
    const owner = tempOwner(name, 'compress') ?? tempOwner(name, 'materialize');
    const ownerHere = owner !== undefined && ownedOnThisHost(owner);
    if (ownerHere && pidAlive(owner.pid)) return; // a live run's temp
    if (!(ownerHere || age >= TEMP_STALE_MS)) return; // may belong to a live run elsewhere
    const id = uuidIn(name);
    const f: Finding = { kind: 'orphan_temp', path: p, bytes, age_ms: Math.round(age) };
    if (id && isThreadLocked(home, id)) return add(f, 'in_use', 'its thread has a live writer');
    if (!o.repair) return add(f, 'repairable', 'left by a crashed run; --repair removes it');
    try {
      fs.unlinkSync(p);
      add(f, 'repaired', 'removed');
    } catch (e) {
      add(f, 'failed', errText(e));
    }
  }

  async function storeTmpDir(): Promise<void> {
    const dir = path.join(home, STORE_TMP_DIR);
    const names = readdirNames(dir);
    if (!names) return;
    for (const n of names) {
      if (!isTempName(n)) continue;
      const p = path.join(dir, n);
      try {
        const st = fs.statSync(p);
        if (st.isFile()) await orphanTemp(p, st.size, st.mtimeMs, st.ctimeMs);
      } catch {
        /* gone meanwhile */
      }
    }
  }

  function staleLocks(): void {
    const cl = path.join(home, STORE_TMP_DIR, 'rollout-compression.lock');
    const why = compressionLockStale(cl, now);
    if (why) {
      const f: Finding = { kind: 'stale_lock', path: cl, lock: 'compression', reason: why };
      if (!o.repair) add(f, 'repairable', 'blocks the compression worker; --repair removes it');
      else {
        try {
          // Re-checked under the file's flock: a worker may have just taken it over.
          if (removeStaleCompressionLock(cl)) add(f, 'repaired', 'removed');
          else add(f, 'in_use', 'a compression worker took it over meanwhile');
        } catch (e) {
          add(f, 'failed', errText(e));
        }
      }
    }
    const dir = threadLockDir(home);
    const names = readdirNames(dir);
    if (!names) return;
    for (const n of names) {
      if (!n.endsWith('.lock') || n.startsWith('.')) continue;
      const id = n.slice(0, -5);
      if (!isUuid(id)) continue;
      if (isThreadLocked(home, id)) continue; // a live writer: not stale
      const f: Finding = { kind: 'stale_lock', path: path.join(dir, n), lock: 'thread', reason: 'lock file of a writer that is gone (nobody holds the flock)' };
      if (!o.repair) {
        add(f, 'repairable', 'harmless (flock locks die with their process); --repair removes the file');
        continue;
      }
      // Taking and releasing the lock removes the file under the coordination lock, the same way
      // a writer does when it finishes.
      const lock = tryThreadWriterLock(home, id);
      if (!lock) add(f, 'in_use', 'a writer took it meanwhile');
      else {
        lock.release();
        add(f, 'repaired', 'removed');
      }
    }
  }

  async function thread(id: string, tf: StoreFile[]): Promise<Report[]> {
    const found: Report[] = [];
    const add = (f: Finding, fix: Fix, detail: string): void => {
      found.push({ ...f, fix, detail });
    };
    // Copies of the thread by location (a copy = the plain and/or zst form in one directory).
    const copies = new Map<string, { plain?: StoreFile; zst?: StoreFile }>();
    for (const f of tf) {
      const key = plainPathOf(f.path);
      const c = copies.get(key) ?? {};
      if (f.rollout!.compressed) c.zst = f;
      else c.plain = f;
      copies.set(key, c);
    }
    let lock: ThreadWriterLock | undefined;
    let inUse = false;
    const needLock = (): boolean => {
      if (lock) return true;
      if (inUse) return false;
      lock = tryThreadWriterLock(home, id);
      if (!lock) inUse = true;
      return lock !== undefined;
    };
    const holder = () => `writer lock held by ${describeHolder(readLockHolder(home, id))}`;
    // In report mode, what a live writer may be in the middle of (an append, a materialize) is
    // reported as in use, not as damage to repair.
    let lockedProbe: boolean | undefined;
    const addT = (f: Finding, fix: Fix, detail: string): void => {
      if (fix === 'repairable' && (lockedProbe ??= isThreadLocked(home, id))) add(f, 'in_use', `${holder()}; ${detail}`);
      else add(f, fix, detail);
    };
    try {
      // 1. plain + zst pairs
      for (const [key, c] of copies) {
        if (!c.plain || !c.zst) continue;
        const plainP = c.plain.path;
        const zstP = c.zst.path;
        let relation: PairRelation | 'zst_unreadable';
        let plainBytes: Buffer;
        try {
          plainBytes = await readContent(plainP);
        } catch (e) {
          addT({ kind: 'unreadable', id, path: plainP, message: warnText(e) }, 'manual', 'fix permissions, then run doctor again');
          continue;
        }
        try {
          relation = relate(plainBytes, await readContent(zstP));
        } catch {
          relation = 'zst_unreadable';
        }
        const f: Finding = { kind: 'pair_mismatch', id, plain: plainP, zst: zstP, relation };
        switch (relation) {
          case 'identical':
          case 'zst_is_prefix':
          case 'plain_is_prefix': {
            // The superset wins: drop the form whose content the other one fully contains.
            const drop = relation === 'plain_is_prefix' ? plainP : zstP;
            const why =
              relation === 'identical'
                ? 'same content in both forms (an interrupted compression or materialize)'
                : relation === 'zst_is_prefix'
                  ? 'the plain file has lines appended after the .zst was made'
                  : 'the .zst holds everything the plain file has, and more';
            if (!o.repair) addT(f, 'repairable', `${why}; --repair removes ${path.basename(drop)}`);
            else if (!needLock()) addT(f, 'in_use', holder());
            else {
              fs.unlinkSync(drop);
              fsyncDir(path.dirname(drop));
              addT(f, 'repaired', `${why}; removed ${path.basename(drop)}`);
              if (drop === plainP) delete c.plain;
              else delete c.zst;
            }
            break;
          }
          case 'diverged':
            addT(f, 'manual', 'the two forms hold different histories; readers use the plain file. Export both (zstd -dc) and keep what you need');
            break;
          case 'zst_unreadable':
            addT(f, 'manual', 'the .zst is corrupt; readers use the plain file. Remove the .zst once you are sure the plain file is complete');
            break;
          default:
            assertNever(relation, 'pair relation');
        }
        copies.set(key, c);
      }

      // 2. placement
      const locs = [...copies.entries()].filter(([, c]) => c.plain || c.zst);
      const inActive = locs.filter(([k]) => k.startsWith(path.join(home, SESSIONS_DIR) + path.sep));
      const inArchived = locs.filter(([k]) => k.startsWith(path.join(home, ARCHIVED_DIR) + path.sep));
      if (inActive.length && inArchived.length) {
        const [, aCopy] = inActive[0]!;
        for (const [k, c] of inArchived) {
          const f0 = (c.plain ?? c.zst)!;
          const f: Finding = { kind: 'misplaced', id, path: f0.path, problem: 'in_both_trees', target: null };
          // Both forms still here means an unresolved pair: never remove a form whose content was not compared.
          const same = !(c.plain && c.zst) && (await sameContent((aCopy.plain ?? aCopy.zst)!.path, f0.path));
          if (c.plain && c.zst) {
            addT(f, 'manual', 'its plain and .zst forms disagree (see the pair finding); resolve that first');
          } else if (!same) {
            addT(f, 'manual', `differs from the copy in ${SESSIONS_DIR}/ (${(aCopy.plain ?? aCopy.zst)!.path}); keep one by hand`);
          } else if (!o.repair) addT(f, 'repairable', `identical to ${(aCopy.plain ?? aCopy.zst)!.path}; --repair removes the archived copy (archive again with codex archive)`);
          else if (!needLock()) addT(f, 'in_use', holder());
          else {
            for (const x of [c.plain, c.zst]) if (x) fs.unlinkSync(x.path);
            fsyncDir(path.dirname(f0.path));
            addT(f, 'repaired', 'removed the archived duplicate');
            copies.delete(k);
          }
        }
      } else {
        for (const [k, c] of locs) {
          const f0 = (c.plain ?? c.zst)!;
          const right = f0.root === 'archived' ? path.join(home, ARCHIVED_DIR) : path.join(home, SESSIONS_DIR, ...stampDayDir(f0.rollout!.stamp).split('/'));
          if (path.dirname(f0.path) === right) continue;
          const target = path.join(right, path.basename(k));
          const f: Finding = {
            kind: 'misplaced',
            id,
            path: f0.path,
            problem: f0.root === 'archived' ? 'archived_in_subfolder' : 'active_outside_day_folder',
            target,
          };
          if (fs.existsSync(target) || fs.existsSync(zstPathOf(target))) addT(f, 'manual', `${target} already exists`);
          else if (!o.repair) addT(f, 'repairable', `--repair moves it to ${path.relative(home, right)}/`);
          else if (!needLock()) addT(f, 'in_use', holder());
          else {
            fs.mkdirSync(right, { recursive: true });
            const moved: { plain?: StoreFile; zst?: StoreFile } = {};
            for (const x of [c.plain, c.zst]) {
              if (!x) continue;
              const to = path.join(right, x.name);
              fs.renameSync(x.path, to);
              if (x.rollout!.compressed) moved.zst = { ...x, path: to };
              else moved.plain = { ...x, path: to };
            }
            fsyncDir(right);
            fsyncDir(path.dirname(f0.path));
            copies.delete(k);
            copies.set(plainPathOf(path.join(right, f0.name)), moved);
            addT(f, 'repaired', `moved to ${path.relative(home, right)}/`);
          }
        }
      }

      // 3. line damage in what readers read (plain wins), and unreadable compressed files
      for (const c of copies.values()) {
        const f0 = c.plain ?? c.zst;
        if (!f0) continue;
        let content: Buffer;
        try {
          content = await readContent(f0.path);
        } catch (e) {
          addT({ kind: 'unreadable', id, path: f0.path, message: warnText(e) }, 'manual', f0.rollout!.compressed ? 'corrupt or truncated .zst; nothing safe to do automatically' : 'fix permissions, then run doctor again');
          continue;
        }
        if (content.length === 0) {
          addT({ kind: 'unreadable', id, path: f0.path, message: 'empty rollout file' }, 'manual', 'holds no record; remove it if no writer is creating it');
          continue;
        }
        const { damage, repaired } = analyzeContent(content);
        if (!isDamaged(damage)) continue;
        const f: Finding = {
          kind: 'torn_lines',
          id,
          path: f0.path,
          torn: damage.torn,
          corrupt: damage.corrupt,
          truncated: damage.truncated,
          lines: damage.lines,
          records_kept: damage.recordsKept,
          dropped_bytes: damage.droppedBytes,
        };
        if (!o.repair) {
          addT(f, 'repairable', `--repair rewrites it keeping all ${damage.recordsKept} parseable records (${damage.droppedBytes} unparseable bytes dropped)`);
          continue;
        }
        if (!needLock()) {
          addT(f, 'in_use', holder());
          continue;
        }
        const st = fs.statSync(f0.path);
        // Re-read under the lock: a writer may have appended between the check and the lock.
        const fresh = analyzeContent(await readContent(f0.path));
        const bytes = f0.rollout!.compressed ? await zstdCompress(fresh.repaired ?? content, 3) : (fresh.repaired ?? content);
        writeFileAtomic(f0.path, bytes, { like: st });
        addT(f, 'repaired', `rewrote it keeping all ${fresh.damage.recordsKept} parseable records`);
      }
    } catch (e) {
      addT({ kind: 'unreadable', id, path: tf[0]!.path, message: errText(e) }, 'failed', 'repair stopped for this thread');
    } finally {
      lock?.release();
    }
    return found;
  }

  async function danglingNames(ids: ReadonlySet<string>): Promise<void> {
    const dangling = readIndexEntries(home).filter((e) => !ids.has(e.id) && !(e.updatedAt && now - Date.parse(e.updatedAt) < NAME_GRACE_MS));
    if (!dangling.length) return;
    let removed = false;
    if (o.repair) {
      try {
        removeIndexEntries(home, new Set(dangling.map((e) => e.id)));
        removed = true;
      } catch (e) {
        for (const d of dangling) add({ kind: 'dangling_name', id: d.id, name: d.name ?? null, line: d.line }, 'failed', errText(e));
        return;
      }
    }
    for (const d of dangling) {
      add(
        { kind: 'dangling_name', id: d.id, name: d.name ?? null, line: d.line },
        removed ? 'repaired' : 'repairable',
        removed ? 'removed from session_index.jsonl' : 'no rollout has this id; --repair removes the entry from session_index.jsonl',
      );
    }
  }
}

async function sameContent(a: string, b: string): Promise<boolean> {
  try {
    return (await readContent(a)).equals(await readContent(b));
  } catch {
    return false;
  }
}

/** Temp names: ours and Codex's end in `.tmp`; tools commonly use `.tmp-…` infixes. */
export function isTempName(name: string): boolean {
  return name.endsWith('.tmp') || /\.tmp[-.]/.test(name);
}

/** The host part of our temp names (as the compression worker writes it). */
function uuidIn(name: string): string | undefined {
  const m = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(name);
  return m ? m[0].toLowerCase() : undefined;
}

/**
 * Why the compression lock is stale, or undefined when it is live or absent. A holder keeps a flock
 * on it for its whole run; a file nobody flocks is judged by the compression worker's own rule
 * (heartbeat older than the limit, or a dead pid on this host / no host as 0.169 writes).
 */
export function compressionLockStale(file: string, now: number): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY);
  } catch {
    return undefined;
  }
  try {
    if (!flockTry(fd, 'shared')) return undefined; // a live worker holds it
    flockRelease(fd);
    const st = fs.fstatSync(fd);
    const info = parseLockText(fs.readFileSync(fd, 'utf8'));
    if (!isStale(info, st.mtimeMs, now, COMPRESSION_LOCK_STALE_MS, hostName(), pidAlive, pidStartMs)) return undefined;
    const age = now - st.mtimeMs;
    if (age > COMPRESSION_LOCK_STALE_MS) return `no heartbeat for ${Math.round(age / 60_000)} min${info.pid !== undefined ? ` (pid ${info.pid})` : ''}`;
    return info.pid !== undefined ? `its holder (pid ${info.pid}) is not running` : 'it names no holder';
  } finally {
    fs.closeSync(fd);
  }
}

/** Remove a stale compression lock under an exclusive flock, re-checking staleness first. */
function removeStaleCompressionLock(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY);
  } catch {
    return true; // gone already
  }
  try {
    if (!flockTry(fd)) return false;
    try {
      if (!compressionLockStaleUnlocked(fd)) return false;
      fs.unlinkSync(file);
      return true;
    } finally {
      flockRelease(fd);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function compressionLockStaleUnlocked(fd: number): boolean {
  const st = fs.fstatSync(fd);
  if (st.nlink === 0) return false; // replaced meanwhile
  const info = parseLockText(fs.readFileSync(fd, 'utf8'));
  return isStale(info, st.mtimeMs, Date.now(), COMPRESSION_LOCK_STALE_MS, hostName(), pidAlive, pidStartMs);
}

function warnText(e: unknown): string {
  return e instanceof ReadWarning ? `${e.warning.message} [${e.warning.code}]` : errText(e);
}

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `${err.code}: ${err.message}` : String(err?.message ?? e);
}
