// Finding a thread's rollout by id (file name) or by name (session_index.jsonl).
import * as path from 'node:path';
import { CodexError } from '../protocol/index.js';
import { idsWithName, readNameIndex } from './names.js';
import { ARCHIVED_DIR, isUuid, localStamp } from './paths.js';
import { dayDirs, entriesInDir, type RolloutEntry } from './scan.js';

/** The local dates a v7 id's embedded time can fall on (±1 day for clock/zone slack). */
function likelyDayDirs(home: string, id: string): string[] {
  const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
  if (!Number.isFinite(ms) || id[14] !== '7') return [];
  return [0, -1, 1].map((off) => {
    const s = localStamp(new Date(ms + off * 86_400_000));
    return path.join(home, 'sessions', s.slice(0, 4), s.slice(5, 7), s.slice(8, 10));
  });
}

/** The rollout of thread `id` (active or archived, either form), or undefined. */
export function findById(home: string, id: string): RolloutEntry | undefined {
  const want = id.toLowerCase();
  const seen = new Set<string>();
  const look = (dir: string, archived: boolean) => {
    if (seen.has(dir)) return undefined;
    seen.add(dir);
    return entriesInDir(dir, archived).find((e) => e.id === want);
  };
  for (const d of likelyDayDirs(home, want)) {
    const hit = look(d, false);
    if (hit) return hit;
  }
  const arch = look(path.join(home, ARCHIVED_DIR), true);
  if (arch) return arch;
  for (const d of dayDirs(home)) {
    const hit = look(d, false);
    if (hit) return hit;
  }
  return undefined;
}

export interface Resolved {
  entry: RolloutEntry;
  name: string | undefined;
}

/**
 * Resolve what a user typed for a session (a thread id or a thread name) to its rollout, active
 * or archived. Throws SESSION_NOT_FOUND when nothing matches and SESSION_AMBIGUOUS (listing the
 * candidates) for a name several threads share.
 *
 * @example
 *   const { entry, name } = resolveSession(codexHome(), 'fix-the-build');
 *   entry.path; // the readable form (plain wins over .zst)
 */
export function resolveSession(home: string, idOrName: string): Resolved {
  const index = readNameIndex(home);
  if (isUuid(idOrName)) {
    const entry = findById(home, idOrName);
    if (entry) return { entry, name: index.get(entry.id)?.name };
  }
  const ids = idsWithName(index, idOrName);
  const found = ids.map((id) => findById(home, id)).filter((e): e is RolloutEntry => e !== undefined);
  if (found.length === 1) return { entry: found[0]!, name: idOrName };
  if (found.length > 1) {
    const list = found.map((e) => `${e.id} (${e.archived ? 'archived' : 'active'}, ${e.stamp})`).join(', ');
    throw new CodexError('SESSION_AMBIGUOUS', `name '${idOrName}' matches ${found.length} sessions: ${list}; use an id`);
  }
  throw new CodexError('SESSION_NOT_FOUND', `no session with id or name '${idOrName}'`);
}
