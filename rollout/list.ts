// Listing: newest first by (file-name timestamp, uuid); that pair is the cursor, so sessions that
// share a second never skip or repeat across pages. Only heads of the files a page needs are read.
import * as path from 'node:path';
import { CodexError } from '../protocol/index.js';
import { summarize, type SessionSummary } from './head.js';
import { readNameIndex } from './names.js';
import type { DecodeOptions } from './reader.js';
import { isUuid } from './paths.js';
import { compareEntriesDesc, scopeEntries, type RolloutEntry, type Scope } from './scan.js';
import type { WarningSink } from './warnings.js';

export interface ListOptions extends DecodeOptions {
  scope?: Scope;
  limit?: number;
  cursor?: string;
  cwd?: string;
  source?: string;
  provider?: string;
  onWarning?: WarningSink;
}

export interface ListPage {
  items: SessionSummary[];
  nextCursor: string | undefined;
}

export interface CursorKey {
  stamp: string;
  id: string;
}

export function encodeCursor(k: CursorKey): string {
  return Buffer.from(`${k.stamp}|${k.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(c: string): CursorKey {
  const text = Buffer.from(c, 'base64url').toString('utf8');
  const [stamp, id, extra] = text.split('|');
  if (extra !== undefined || !stamp || !id || !/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}$/.test(stamp) || !isUuid(id)) {
    throw new CodexError('BAD_CURSOR', `invalid cursor '${c}' (use the next_cursor printed by a previous page)`, { exitCode: 2 });
  }
  return { stamp, id: id.toLowerCase() };
}

const BATCH = 16;

/**
 * One page of sessions, newest first, with the filters of `codex sessions list` (scope, cwd,
 * source, provider); `nextCursor` (undefined on the last page) continues after the page's last session.
 *
 * @example
 *   const page = await listSessions(codexHome(), { scope: 'all', limit: 10 });
 *   const next = page.nextCursor && (await listSessions(codexHome(), { scope: 'all', limit: 10, cursor: page.nextCursor }));
 */
export async function listSessions(home: string, opts: ListOptions = {}): Promise<ListPage> {
  const limit = opts.limit ?? 25;
  const after = opts.cursor ? decodeCursor(opts.cursor) : undefined;
  const names = readNameIndex(home);
  const wantCwd = opts.cwd !== undefined ? path.resolve(opts.cwd) : undefined;
  const matches = (s: SessionSummary) =>
    (wantCwd === undefined || (s.cwd !== undefined && path.resolve(s.cwd) === wantCwd)) &&
    (opts.source === undefined || s.source === opts.source) &&
    (opts.provider === undefined || s.modelProvider === opts.provider);
  const it = scopeEntries(home, opts.scope ?? 'active', opts.onWarning);
  const items: SessionSummary[] = [];
  let exhausted = false;
  const next = (): RolloutEntry | undefined => {
    for (;;) {
      const r = it.next();
      if (r.done) {
        exhausted = true;
        return undefined;
      }
      if (after && compareEntriesDesc(r.value, after) <= 0) continue;
      return r.value;
    }
  };
  while (items.length < limit && !exhausted) {
    // With filters a page may need more heads than its size: read ahead a batch at a time.
    const want = opts.cwd || opts.source || opts.provider ? BATCH : Math.min(BATCH, limit - items.length);
    const batch: RolloutEntry[] = [];
    while (batch.length < want) {
      const e = next();
      if (!e) break;
      batch.push(e);
    }
    if (!batch.length) break;
    const sums = await Promise.all(batch.map((e) => summarize(e, names, opts.onWarning, opts)));
    for (let i = 0; i < batch.length; i++) {
      const s = sums[i];
      if (s && matches(s)) {
        items.push(s);
        if (items.length === limit) {
          // More remain only if something follows the last examined entry.
          const rest = batch.slice(i + 1);
          if (rest.length) return { items, nextCursor: encodeCursor(key(batch[i]!)) };
          return { items, nextCursor: next() ? encodeCursor(key(batch[i]!)) : undefined };
        }
      }
    }
  }
  return { items, nextCursor: undefined };
}

function key(e: RolloutEntry): CursorKey {
  return { stamp: e.stamp, id: e.id };
}
