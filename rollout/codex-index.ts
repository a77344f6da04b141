// Codex 0.169 keeps its own index of threads in $CODEX_HOME/state_5.sqlite (table `threads`, one
// row per thread: rollout_path, archived, archived_at, …) and believes it over the files: a thread
// we archive stays "active" there, so its `resume` looks in the wrong place. Every change we make
// to where a thread lives (archive, unarchive, compression, materialize, prune) is written there
// too, under the thread lock, when the database exists and its schema is one we know. Nothing is
// written otherwise, and the caller gets a note saying why.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Db } from './codex-index-db.js';

export const CODEX_STATE_DB = 'state_5.sqlite';
/** The newest sqlx migration of state_5.sqlite that Codex 0.169 applies (read from a database it made). */
export const KNOWN_MAX_MIGRATION = 62;
const BUSY_MS = 5_000;
const NEEDED_COLUMNS = ['id', 'rollout_path', 'archived', 'archived_at'];

export type IndexStatus = 'updated' | 'no_row' | 'absent' | 'unknown_schema' | 'failed';

export interface IndexResult {
  status: IndexStatus;
  /** Set for unknown_schema and failed (and absent when other Codex databases are there): one line for stderr. */
  note?: string;
}

export interface CodexIndex {
  /** Archive or unarchive: the row's path and archived flag and time follow the file. */
  moved(id: string, to: string, archived: boolean, atMs: number): IndexResult;
  /** The file changed form (compressed or materialized): the row's path follows it. */
  setPath(id: string, to: string): IndexResult;
  /** The thread was pruned: its row goes. */
  removed(id: string): IndexResult;
  close(): void;
}

/** Why nothing can be written, or undefined when state_5.sqlite exists. Cheap (no SQLite). */
export function indexAbsence(home: string): IndexResult | undefined {
  if (fs.existsSync(path.join(home, CODEX_STATE_DB))) return undefined;
  let all: string[] = [];
  try {
    all = fs.readdirSync(home).filter((n) => n.endsWith('.sqlite'));
  } catch {
    /* no home: nothing to update */
  }
  const names = all.filter((n) => /^state_\d+\.sqlite$/.test(n));
  if (names.length) return { status: 'unknown_schema', note: `Codex thread index ${names.join(', ')} is of a version we do not know; not updated` };
  // Codex's other databases without its index: say so (a home Codex never used stays quiet).
  if (all.length) return { status: 'absent', note: `no Codex thread index (${CODEX_STATE_DB}) beside ${all.join(', ')}; nothing to update` };
  return { status: 'absent' };
}

/** Open the index for a series of changes, or say why there is none to update. */
export async function openCodexIndex(home: string): Promise<CodexIndex | IndexResult> {
  const absent = indexAbsence(home);
  if (absent) return absent;
  const file = path.join(home, CODEX_STATE_DB);
  let db: Db;
  try {
    const { openDb } = await import('./codex-index-db.js');
    db = openDb(file, BUSY_MS);
  } catch (e) {
    return failed(file, e);
  }
  try {
    const why = schemaProblem(db);
    if (why) {
      db.close();
      return { status: 'unknown_schema', note: `Codex thread index ${file}: ${why}; not updated` };
    }
  } catch (e) {
    db.close();
    return failed(file, e);
  }
  const write = (sql: string, ...params: unknown[]): IndexResult => {
    try {
      const { changes } = db.prepare(sql).run(...params);
      return { status: changes > 0 ? 'updated' : 'no_row' };
    } catch (e) {
      return failed(file, e);
    }
  };
  return {
    moved: (id, to, archived, atMs) => write('UPDATE threads SET rollout_path = ?, archived = ?, archived_at = ? WHERE id = ?', to, archived ? 1 : 0, archived ? Math.floor(atMs / 1000) : null, id),
    setPath: (id, to) => write('UPDATE threads SET rollout_path = ? WHERE id = ? AND rollout_path <> ?', to, id, to),
    removed: (id) => write('DELETE FROM threads WHERE id = ?', id),
    close: () => db.close(),
  };
}

/** One change, opening and closing the index around it. */
export async function updateCodexIndex(home: string, change: (ix: CodexIndex) => IndexResult): Promise<IndexResult> {
  const ix = await openCodexIndex(home);
  if (!('close' in ix)) return ix;
  try {
    return change(ix);
  } finally {
    ix.close();
  }
}

function schemaProblem(db: Db): string | undefined {
  const mig = db.prepare('SELECT MAX(version) AS v, MIN(success) AS ok FROM _sqlx_migrations').get() as { v: number | null; ok: number | null } | undefined;
  if (!mig || mig.v === null) return 'no migration history';
  if (mig.v > KNOWN_MAX_MIGRATION) return `schema version ${mig.v} is newer than the ${KNOWN_MAX_MIGRATION} Codex 0.169 writes`;
  if (mig.ok !== 1) return 'a migration did not complete';
  const cols = new Set((db.prepare('PRAGMA table_info(threads)').all() as { name: string }[]).map((c) => c.name));
  const missing = NEEDED_COLUMNS.filter((c) => !cols.has(c));
  return missing.length ? `table threads lacks ${missing.join(', ')}` : undefined;
}

function failed(file: string, e: unknown): IndexResult {
  const err = e as { code?: string; message?: string };
  return { status: 'failed', note: `Codex thread index ${file} not updated: ${err.message ?? String(e)}${err.code ? ` (${err.code})` : ''}` };
}
