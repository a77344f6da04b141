// session_index.jsonl is append-only (`{id, thread_name, updated_at}` per line, last wins). Prune and
// doctor drop the entries of threads that no longer exist by rewriting it through a temp file; every
// other line (including lines we cannot parse) is kept byte for byte. The rewrite holds the flock
// on session_index.jsonl.lock that our appends take; appends from writers that do not take it
// (Codex 0.169) are detected by re-checking size and mtime before the rename, and the rewrite redone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flockRelease, flockWait } from '../../native/index.js';
import { SESSION_INDEX } from '../paths.js';
import { writeFileAtomic } from './atomic.js';

export interface IndexEntry {
  id: string;
  name: string | undefined;
  updatedAt: string | undefined;
  line: number;
}

export function sessionIndexPath(home: string): string {
  return path.join(home, SESSION_INDEX);
}

/** Entries of the index (unparseable lines are skipped here and kept on rewrite). */
export function readIndexEntries(home: string): IndexEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(sessionIndexPath(home), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: IndexEntry[] = [];
  text.split('\n').forEach((line, i) => {
    const id = idOfLine(line);
    if (id === undefined) return;
    const o = JSON.parse(line) as { thread_name?: unknown; updated_at?: unknown };
    out.push({ id, name: typeof o.thread_name === 'string' ? o.thread_name : undefined, updatedAt: typeof o.updated_at === 'string' ? o.updated_at : undefined, line: i + 1 });
  });
  return out;
}

function idOfLine(line: string): string | undefined {
  if (!line.trim()) return undefined;
  try {
    const o: unknown = JSON.parse(line);
    if (typeof o === 'object' && o !== null && typeof (o as { id?: unknown }).id === 'string') return ((o as { id: string }).id).toLowerCase();
  } catch {
    /* kept verbatim */
  }
  return undefined;
}

/** Pure: the index text without the lines of `drop` ids; how many lines went. */
export function withoutIds(text: string, drop: ReadonlySet<string>): { text: string; removed: number } {
  const lines = text.split('\n');
  const trailing = lines.length > 0 && lines[lines.length - 1] === '';
  if (trailing) lines.pop();
  const kept: string[] = [];
  let removed = 0;
  for (const l of lines) {
    const id = idOfLine(l);
    if (id !== undefined && drop.has(id)) removed++;
    else kept.push(l);
  }
  return { text: kept.length ? kept.join('\n') + (trailing ? '\n' : '') : '', removed };
}

/** Remove every entry of the given ids; returns the number of lines removed. */
export function removeIndexEntries(home: string, ids: ReadonlySet<string>): number {
  if (ids.size === 0 || !fs.existsSync(sessionIndexPath(home))) return 0;
  const lockFd = fs.openSync(path.join(home, `${SESSION_INDEX}.lock`), fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
  try {
    flockWait(lockFd);
    try {
      return rewriteWithout(sessionIndexPath(home), ids);
    } finally {
      flockRelease(lockFd);
    }
  } finally {
    fs.closeSync(lockFd);
  }
}

function rewriteWithout(file: string, ids: ReadonlySet<string>): number {
  for (let attempt = 0; attempt < 5; attempt++) {
    let before: Buffer;
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
      before = fs.readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
    if (before.length !== st.size) continue;
    const next = withoutIds(before.toString('utf8'), ids);
    if (next.removed === 0) return 0;
    const ok = writeFileAtomic(file, next.text, {
      beforeRename: () => {
        const now = fs.statSync(file);
        return now.size === before.length && now.mtimeMs === st.mtimeMs;
      },
    });
    if (ok) return next.removed;
  }
  throw Object.assign(new Error(`${file} kept changing while it was being rewritten; try again`), { code: 'EBUSY' });
}
