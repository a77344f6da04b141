// Store layout under $CODEX_HOME and rollout file names:
//   sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<uuid>.jsonl[.zst]   (local time at creation)
//   archived_sessions/rollout-…-<uuid>.jsonl[.zst]
import * as os from 'node:os';
import * as path from 'node:path';

export const SESSIONS_DIR = 'sessions';
export const ARCHIVED_DIR = 'archived_sessions';
export const SESSION_INDEX = 'session_index.jsonl';
export const STORE_TMP_DIR = '.tmp';

/** $CODEX_HOME (a leading `~/` expanded), else $HOME/.codex. Read only when called. */
export function codexHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME && env.HOME !== '' ? env.HOME : os.homedir();
  const h = env.CODEX_HOME;
  if (h && h.trim() !== '') return path.resolve(h === '~' || h.startsWith('~/') ? path.join(home, h.slice(1)) : h);
  return path.join(home, '.codex');
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** The rollout file name pattern, as documented; parseRolloutName checks it by position. */
export const NAME_RE = new RegExp(`^rollout-(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2})-(${UUID})\\.jsonl(\\.zst)?$`);
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

// rollout-YYYY-MM-DDThh-mm-ss-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.jsonl[.zst]
const STAMP_AT = 8;
const ID_AT = STAMP_AT + 20;
const STEM_LEN = ID_AT + 36;

/**
 * Checked by character position, not by NAME_RE: listing and search parse every name of the
 * store, and a cold regex costs ~2 µs a name. rollout/paths.test.ts holds the two to the same answers.
 */
export function parseRolloutName(name: string): RolloutName | undefined {
  const len = name.length;
  const compressed = len === STEM_LEN + 10;
  if ((len !== STEM_LEN + 6 && !compressed) || !name.startsWith('rollout-')) return undefined;
  if (!name.endsWith(compressed ? '.jsonl.zst' : '.jsonl') || !stampAt(name) || name.charCodeAt(ID_AT - 1) !== DASH) return undefined;
  let upper = false;
  for (let i = ID_AT; i < STEM_LEN; i++) {
    const c = name.charCodeAt(i);
    const k = i - ID_AT;
    if (k === 8 || k === 13 || k === 18 || k === 23) {
      if (c !== DASH) return undefined;
    } else if (c >= 0x41 && c <= 0x46) upper = true;
    else if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return undefined;
  }
  const id = name.slice(ID_AT, STEM_LEN);
  return { stamp: name.slice(STAMP_AT, ID_AT - 1), id: upper ? id.toLowerCase() : id, compressed, stem: name.slice(0, STEM_LEN) };
}

const DASH = 0x2d;
// YYYY-MM-DDThh-mm-ss: digits except the separators at these offsets.
const STAMP_SEPARATORS: Record<number, number> = { 4: DASH, 7: DASH, 10: 0x54, 13: DASH, 16: DASH };

function stampAt(name: string): boolean {
  for (let k = 0; k < 19; k++) {
    const c = name.charCodeAt(STAMP_AT + k);
    const sep = STAMP_SEPARATORS[k];
    if (sep !== undefined ? c !== sep : c < 0x30 || c > 0x39) return false;
  }
  return true;
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
