// Stat-only walk of the two rollout trees. Never opens a file: the storage report and prune
// planning must stay fast on stores of tens of thousands of sessions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARCHIVED_DIR, SESSIONS_DIR, parseRolloutName, type RolloutName } from '../paths.js';

export type { RolloutName };

export type StoreRoot = 'sessions' | 'archived';

export const ROOT_DIRS: Record<StoreRoot, string> = { sessions: SESSIONS_DIR, archived: ARCHIVED_DIR };

export interface StoreFile {
  path: string;
  /** Relative to CODEX_HOME, with `/`. */
  rel: string;
  root: StoreRoot;
  name: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  /** Set when the name is a rollout name (`rollout-<stamp>-<uuid>.jsonl[.zst]`). */
  rollout?: RolloutName;
}

export interface WalkProblem {
  path: string;
  message: string;
}

/** Something that is not a regular file where a rollout name is (a directory, a socket, …). */
export interface OddEntry {
  path: string;
  rel: string;
  root: StoreRoot;
  kind: 'directory' | 'other';
  rollout: RolloutName;
}

/** `YYYY-MM` of a rollout stamp. */
export function stampMonth(stamp: string): string {
  return stamp.slice(0, 7);
}

/** The `YYYY/MM/DD` directory a rollout with this stamp belongs in under sessions/. */
export function stampDayDir(stamp: string): string {
  return `${stamp.slice(0, 4)}/${stamp.slice(5, 7)}/${stamp.slice(8, 10)}`;
}

/** Every file under sessions/ and archived_sessions/ (any depth), with size and mtime. */
export function walkStore(home: string, roots: readonly StoreRoot[] = ['sessions', 'archived']): { files: StoreFile[]; problems: WalkProblem[]; odd: OddEntry[] } {
  const files: StoreFile[] = [];
  const problems: WalkProblem[] = [];
  const odd: OddEntry[] = [];
  for (const root of roots) {
    const top = path.join(home, ROOT_DIRS[root]);
    const visit = (dir: string, rel: string) => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code !== 'ENOENT' || dir !== top) problems.push({ path: dir, message: `cannot read directory: ${err.code ?? err.message}` });
        return;
      }
      for (const e of entries) {
        // String concatenation and one fixed object shape: this loop runs once per file of the store.
        const p = dir + path.sep + e.name;
        const r = rel + '/' + e.name;
        if (!e.isFile()) {
          // A rollout name that is not a file is reported, never descended into.
          const named = parseRolloutName(e.name);
          if (named) odd.push({ path: p, rel: r, root, kind: e.isDirectory() ? 'directory' : 'other', rollout: named });
          else if (e.isDirectory()) visit(p, r);
          continue;
        }
        let st: fs.Stats | undefined;
        try {
          // Undefined when removed between readdir and stat (a concurrent archive or compression).
          st = fs.statSync(p, { throwIfNoEntry: false });
        } catch (err) {
          problems.push({ path: p, message: `cannot stat: ${(err as NodeJS.ErrnoException).code}` });
          continue;
        }
        if (!st) continue;
        files.push({ path: p, rel: r, root, name: e.name, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, rollout: parseRolloutName(e.name) });
      }
    };
    visit(top, ROOT_DIRS[root]);
  }
  return { files, problems, odd };
}
