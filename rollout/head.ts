// Reading only the head of a rollout: the session_meta and the first typed user message. Heads of
// 0.169 files carry ~30 KB of instructions before it, so the read continues (bounded) until the
// preview is found; the item is listed anyway, with an empty preview, when the bound is hit.
import * as fs from 'node:fs';
import { messageTextOf, sessionMetaOf, type SessionMeta } from './format.js';
import { readRecords } from './reader.js';
import type { RolloutEntry } from './scan.js';
import type { StoreWarning } from './warnings.js';

export const HEAD_MAX_RECORDS = 500;
export const HEAD_MAX_BYTES = 2 * 1024 * 1024;

export interface Head {
  meta: SessionMeta | undefined;
  preview: string;
  /** False when the file could not be read at all (corrupt / unreadable). */
  readable: boolean;
  warnings: StoreWarning[];
}

export async function readHead(file: string): Promise<Head> {
  let meta: SessionMeta | undefined;
  let preview = '';
  let n = 0;
  const warnings: StoreWarning[] = [];
  const readable = await readRecords(file, {
    onWarning: (w) => warnings.push(w),
    onRecord: (r, offset) => {
      n++;
      if (n === 1) meta = sessionMetaOf(r);
      if (!meta) return false; // not a rollout: stop at once
      const m = messageTextOf(r);
      if (m && m.role === 'user' && !m.injected) {
        preview = m.text;
        return false;
      }
      return n < HEAD_MAX_RECORDS && offset < HEAD_MAX_BYTES;
    },
  });
  return { meta, preview, readable, warnings };
}

export interface SessionSummary {
  id: string;
  path: string;
  archived: boolean;
  compressed: boolean;
  /** session_meta timestamp (ISO, UTC). */
  createdAt: string | undefined;
  /** File mtime (ISO, UTC). */
  updatedAt: string | undefined;
  cwd: string | undefined;
  source: string | undefined;
  modelProvider: string | undefined;
  cliVersion: string | undefined;
  preview: string;
  name: string | undefined;
}

/** Summary of one entry; undefined (with a warning) when it is not a readable rollout. */
export async function summarize(entry: RolloutEntry, names: Map<string, { name: string }>, onWarning?: (w: StoreWarning) => void): Promise<SessionSummary | undefined> {
  const head = await readHead(entry.path);
  for (const w of head.warnings) onWarning?.(w);
  if (!head.readable) return undefined;
  if (!head.meta) {
    if (!head.warnings.some((w) => w.code === 'ROLLOUT_EMPTY' || w.code === 'ROLLOUT_ZSTD_CORRUPT')) {
      onWarning?.({ path: entry.path, code: 'ROLLOUT_NOT_A_ROLLOUT', message: 'first record is not a session_meta; skipped' });
    }
    return undefined;
  }
  let updatedAt: string | undefined;
  try {
    updatedAt = fs.statSync(entry.path).mtime.toISOString();
  } catch {
    updatedAt = undefined;
  }
  return {
    id: entry.id,
    path: entry.path,
    archived: entry.archived,
    compressed: entry.compressed,
    createdAt: head.meta.timestamp,
    updatedAt,
    cwd: head.meta.cwd,
    source: head.meta.source,
    modelProvider: head.meta.modelProvider,
    cliVersion: head.meta.cliVersion,
    preview: head.preview,
    name: names.get(entry.id)?.name,
  };
}
