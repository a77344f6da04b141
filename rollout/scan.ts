// Enumerating rollout files from the directory tree alone (no index): names carry time + id, so
// order comes from names and only the directories a page needs are read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARCHIVED_DIR, ID_AT, parseRolloutName, rolloutNamesIn, SESSIONS_DIR, STAMP_AT } from './paths.js';
import { readdirNames } from './fsutil.js';
import type { WarningSink } from './warnings.js';

export type Scope = 'active' | 'archived' | 'all';

export interface RolloutEntry {
  id: string;
  /** `YYYY-MM-DDThh-mm-ss` from the file name. */
  stamp: string;
  /** The file to read: the plain one when both forms exist. */
  path: string;
  compressed: boolean;
  archived: boolean;
  /** True when both `X.jsonl` and `X.jsonl.zst` exist (a transition state; plain wins). */
  bothForms: boolean;
}

/** Newest first: by stamp, then id (ids are v7 UUIDs, so time-ordered within a second too). */
export function compareEntriesDesc(a: { stamp: string; id: string }, b: { stamp: string; id: string }): number {
  if (a.stamp !== b.stamp) return a.stamp < b.stamp ? 1 : -1;
  if (a.id !== b.id) return a.id < b.id ? 1 : -1;
  return 0;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function readdirSafe(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** The rollouts in one directory, plain winning over `.zst`, newest first. */
export function entriesInDir(dir: string, archived: boolean, onWarning?: WarningSink): RolloutEntry[] {
  // Names only (no d_type/stat per file: this runs over every name of a large store). A directory
  // with a rollout-like name is reported when read, like any unreadable file.
  const names = readdirNames(dir) ?? [];
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  const rollouts = rolloutNamesIn(names);
  if (onWarning && rollouts.length < names.length) warnNotRollouts(names, prefix, onWarning);
  // Sorted descending as plain strings (a native sort), rollout names come newest first, and the
  // `.zst` form of a stem just before its plain form. Ids with upper-case letters are the exception:
  // they are compared lower-cased, so those (rare) lists are sorted again.
  rollouts.sort();
  const out: RolloutEntry[] = [];
  let resort = false;
  for (let i = rollouts.length - 1; i >= 0; i--) {
    const name = rollouts[i]!;
    const compressed = name.endsWith('.zst');
    const raw = name.slice(ID_AT, ID_AT + 36);
    const id = raw.toLowerCase();
    if (id !== raw) resort = true;
    const entry: RolloutEntry = { id, stamp: name.slice(STAMP_AT, ID_AT - 1), path: prefix + name, compressed, archived, bothForms: false };
    const prev = out.length > 0 ? out[out.length - 1]! : undefined;
    if (prev && prev.compressed && !compressed && prev.path.length === entry.path.length + 4 && prev.path.startsWith(entry.path)) {
      // Both forms: the plain one is read.
      entry.bothForms = true;
      out[out.length - 1] = entry;
    } else out.push(entry);
  }
  return resort ? out.sort(compareEntriesDesc) : out;
}

function warnNotRollouts(names: readonly string[], prefix: string, onWarning: WarningSink): void {
  for (const name of names) {
    // '.': temp files of writers and the compressor.
    if (name.startsWith('.') || parseRolloutName(name) || isDir(prefix + name)) continue;
    onWarning({ path: prefix + name, code: 'ROLLOUT_NOT_A_ROLLOUT', message: 'not a rollout file name; ignored' });
  }
}

/** sessions/YYYY/MM/DD directories, newest first. */
export function dayDirs(home: string): string[] {
  const out: string[] = [];
  const root = path.join(home, SESSIONS_DIR);
  const numeric = (dir: string, len: number) =>
    readdirSafe(dir)
      .filter((d) => d.isDirectory() && d.name.length === len && /^\d+$/.test(d.name))
      .map((d) => d.name)
      .sort()
      .reverse();
  // Plain concatenation: the parts are digits, and path.join's normalizing shows up at this count.
  const sep = path.sep;
  for (const y of numeric(root, 4)) {
    for (const m of numeric(root + sep + y, 2)) for (const d of numeric(root + sep + y + sep + m, 2)) out.push(root + sep + y + sep + m + sep + d);
  }
  return out;
}

/** Active sessions newest first, reading one day directory at a time. */
export function* activeEntries(home: string, onWarning?: WarningSink): Generator<RolloutEntry> {
  for (const dir of dayDirs(home)) yield* entriesInDir(dir, false, onWarning);
}

export function archivedEntries(home: string, onWarning?: WarningSink): RolloutEntry[] {
  return entriesInDir(path.join(home, ARCHIVED_DIR), true, onWarning);
}

/**
 * Every rollout in scope, newest first, as one array: what scopeEntries yields, built without a
 * generator (resuming nested generators per entry costs more than the rest of the walk).
 */
export function scopeEntryList(home: string, scope: Scope, onWarning?: WarningSink): RolloutEntry[] {
  const archived = scope === 'active' ? [] : archivedEntries(home, onWarning);
  if (scope === 'archived') return archived;
  const active: RolloutEntry[] = [];
  for (const dir of dayDirs(home)) for (const e of entriesInDir(dir, false, onWarning)) active.push(e);
  if (archived.length === 0) return active;
  const out: RolloutEntry[] = [];
  let i = 0;
  for (const e of active) {
    while (i < archived.length && compareEntriesDesc(archived[i]!, e) < 0) out.push(archived[i++]!);
    out.push(e);
  }
  while (i < archived.length) out.push(archived[i++]!);
  return out;
}

/** Entries per chunk of the flat archive in scopeEntryChunks (the active tree comes a day at a time). */
const ARCHIVE_CHUNK = 1024;

/**
 * Every rollout in scope, newest first, in chunks: a day directory at a time, the archive's
 * entries merged in where they fall (the archive alone in slices). A search scans the first
 * chunks while the rest of the tree is still unread.
 */
export function* scopeEntryChunks(home: string, scope: Scope, onWarning?: WarningSink): Generator<RolloutEntry[]> {
  const archived = scope === 'active' ? [] : archivedEntries(home, onWarning);
  let i = 0;
  if (scope !== 'archived') {
    for (const dir of dayDirs(home)) {
      const active = entriesInDir(dir, false, onWarning);
      if (active.length === 0) continue;
      if (i === archived.length) {
        yield active;
        continue;
      }
      const out: RolloutEntry[] = [];
      for (const e of active) {
        while (i < archived.length && compareEntriesDesc(archived[i]!, e) < 0) out.push(archived[i++]!);
        out.push(e);
      }
      yield out;
    }
  }
  for (; i < archived.length; i += ARCHIVE_CHUNK) yield archived.slice(i, i + ARCHIVE_CHUNK);
}

/**
 * Every rollout in scope ('active', 'archived' or 'all'), newest first: a lazy merge of the
 * dated active tree and the flat archive, so a caller that stops early reads few directories.
 *
 * @example
 *   for (const e of scopeEntries(codexHome(), 'all')) { console.log(e.id, e.path); break; } // the newest
 */
export function* scopeEntries(home: string, scope: Scope, onWarning?: WarningSink): Generator<RolloutEntry> {
  if (scope === 'active') return yield* activeEntries(home, onWarning);
  const archived = archivedEntries(home, onWarning);
  if (scope === 'archived') return yield* archived;
  let i = 0;
  for (const e of activeEntries(home, onWarning)) {
    while (i < archived.length && compareEntriesDesc(archived[i]!, e) < 0) yield archived[i++]!;
    yield e;
  }
  while (i < archived.length) yield archived[i++]!;
}
