// Store layout under $CODEX_HOME and rollout file names:
//   sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<uuid>.jsonl[.zst]   (local time at creation)
//   archived_sessions/rollout-…-<uuid>.jsonl[.zst]
import * as os from 'node:os';
import * as path from 'node:path';

export const SESSIONS_DIR = 'sessions';
export const ARCHIVED_DIR = 'archived_sessions';
export const SESSION_INDEX = 'session_index.jsonl';
export const STORE_TMP_DIR = '.tmp';

/**
 * The store's root: $CODEX_HOME (a leading `~/` expanded), else $HOME/.codex. The environment is
 * read only when called, never at import.
 *
 * @example
 *   codexHome({ HOME: '/home/ann' }); // '/home/ann/.codex'
 *   codexHome({ HOME: '/home/ann', CODEX_HOME: '~/c' }); // '/home/ann/c'
 */
export function codexHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME && env.HOME !== '' ? env.HOME : os.homedir();
  const h = env.CODEX_HOME;
  if (h && h.trim() !== '') return path.resolve(h === '~' || h.startsWith('~/') ? path.join(home, h.slice(1)) : h);
  return path.join(home, '.codex');
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const NAME = `rollout-(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2})-(${UUID})\\.jsonl(\\.zst)?`;
const NAME_RE = new RegExp(`^${NAME}$`);
// Every rollout name in a directory listing joined with NULs (which no file name holds): one
// native pass over a whole listing instead of a regex call (and its match object) per name.
const NAMES_IN_LISTING = new RegExp(`(?<=^|\\0)${NAME}(?=\\0|$)`, 'g');
// Offsets in a rollout name: `rollout-` + stamp + `-` + id + `.jsonl[.zst]`.
export const STAMP_AT = 8;
export const ID_AT = 28;
export const UUID_RE = new RegExp(`^${UUID}$`);

export interface RolloutName {
  /** `YYYY-MM-DDThh-mm-ss` (local time of creation), the first half of the listing order. */
  stamp: string;
  /** Lower-case thread id. */
  id: string;
  compressed: boolean;
  /** The name without `.jsonl` / `.jsonl.zst`. */
  stem: string;
}

export function parseRolloutName(name: string): RolloutName | undefined {
  const m = NAME_RE.exec(name);
  if (!m) return undefined;
  const compressed = m[3] !== undefined;
  return { stamp: m[1]!, id: m[2]!.toLowerCase(), compressed, stem: name.slice(0, name.length - (compressed ? 10 : 6)) };
}

/** The rollout names among `names` (same order); the others, dot files included, are left out. */
export function rolloutNamesIn(names: readonly string[]): string[] {
  if (names.length === 0) return [];
  return names.join('\0').match(NAMES_IN_LISTING) ?? [];
}

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** The `YYYY-MM-DDThh-mm-ss` stamp of a local time. */
export function localStamp(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}`;
}

/** Where a new session created at `d` lives: sessions/YYYY/MM/DD/rollout-<stamp>-<id>.jsonl. */
export function newRolloutPath(home: string, d: Date, id: string): string {
  const dir = path.join(home, SESSIONS_DIR, String(d.getFullYear()), pad(d.getMonth() + 1), pad(d.getDate()));
  return path.join(dir, `rollout-${localStamp(d)}-${id}.jsonl`);
}

/** The day directory of a stamp, for unarchive: sessions/YYYY/MM/DD. */
export function dayDirOfStamp(home: string, stamp: string): string {
  return path.join(home, SESSIONS_DIR, stamp.slice(0, 4), stamp.slice(5, 7), stamp.slice(8, 10));
}

export function plainPathOf(p: string): string {
  return p.endsWith('.zst') ? p.slice(0, -4) : p;
}

export function zstPathOf(p: string): string {
  return p.endsWith('.zst') ? p : `${p}.zst`;
}
