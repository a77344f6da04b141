// Typed store changes a planner proposes and the executor applies (executor.ts). Every action names
// the file state it was planned on (`expect`): the executor re-checks it under the thread lock.

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export type Action =
  /**
   * Remove a file whose every byte is held elsewhere (`keptIn` says where; `keptExpect`, when given,
   * is the state of that file the plan compared against, re-checked too).
   */
  | { kind: 'remove'; thread?: string; path: string; expect: FileStamp; keptIn: string; keptExpect?: FileStamp }
  /**
   * The compressor's commit: put a verified compressed copy (`tmp`) in place as `plain`.zst, never
   * over an existing file, provided the source is still the very file that was copied (`expect`:
   * inode, size, mtime). Followed by a `remove` of the plain file once the directory is synced.
   */
  | { kind: 'link_compressed'; thread: string; plain: string; tmp: string; expect: FileStamp & { ino: number } }
  /** Move a file whole into $CODEX_HOME/quarantine/ (bytes it cannot account for). */
  | { kind: 'quarantine'; thread?: string; path: string; expect: FileStamp }
  /** Rename a file (never over an existing one). */
  | { kind: 'move'; thread: string; from: string; to: string; expect: FileStamp }
  /** Rewrite a rollout keeping every parseable record; refused unless only record fragments go. */
  | { kind: 'rewrite'; thread: string; path: string; expect: FileStamp }
  /** Remove a thread lock file nobody holds (under the coordination lock, as writers do). */
  | { kind: 'remove_thread_lock'; thread: string }
  /** Remove a stale compression lock (re-judged under its flock). */
  | { kind: 'remove_compression_lock'; path: string }
  /** Prune: remove every file of a thread the user asked to drop (all re-checked before the first unlink). */
  | { kind: 'prune_thread'; thread: string; files: { path: string; expect: FileStamp }[] }
  /** Drop the session_index.jsonl lines of these ids. */
  | { kind: 'drop_index_entries'; ids: string[] };

/** The thread whose writer lock an action needs, if any. */
export function threadOf(a: Action): string | undefined {
  switch (a.kind) {
    case 'remove':
    case 'quarantine':
      return a.thread;
    case 'move':
    case 'rewrite':
    case 'prune_thread':
    case 'link_compressed':
      return a.thread;
    default:
      return undefined;
  }
}

export function stampOf(st: { size: number; mtimeMs: number }): FileStamp {
  return { size: st.size, mtimeMs: st.mtimeMs };
}
