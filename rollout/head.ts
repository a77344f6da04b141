// Reading only the head of a rollout: the session_meta and the first typed user message. Heads of
// 0.169 files carry ~30 KB of instructions before it, so the read continues (bounded) until the
// preview is found; the item is listed anyway, with an empty preview, when the bound is hit.
import * as fs from 'node:fs';
import { messageTextOf, sessionMetaOf, type SessionMeta } from './format.js';
import { readRecords, type DecodeOptions } from './reader.js';
import type { RolloutEntry } from './scan.js';
import type { StoreWarning } from './warnings.js';

export const HEAD_MAX_RECORDS = 500;
/** The byte budget of a head: no file costs a listing more than this, whatever its shape. */
export const HEAD_MAX_BYTES = 2 * 1024 * 1024;

export interface Head {
  meta: SessionMeta | undefined;
  preview: string;
  /** False when the file could not be read at all (corrupt / unreadable). */
  readable: boolean;
  /** The budget ran out before a user message (or, with no meta, before the first record ended). */
  cut: boolean;
  warnings: StoreWarning[];
}

export async function readHead(file: string, maxBytes = HEAD_MAX_BYTES, decode: DecodeOptions = {}): Promise<Head> {
  let meta: SessionMeta | undefined;
  let preview = '';
  let n = 0;
  let cut = false;
  let found = false;
  const warnings: StoreWarning[] = [];
  const readable = await readRecords(file, {
    ...decode,
    maxBytes,
    onBudget: () => void (cut = true),
    onWarning: (w) => warnings.push(w),
    onRecord: (r, offset) => {
      n++;
      if (n === 1) meta = sessionMetaOf(r);
      if (!meta) return false; // not a rollout: stop at once
      const m = messageTextOf(r);
      if (m && m.role === 'user' && !m.injected) {
        preview = m.text;
        found = true;
        return false;
      }
      if (n < HEAD_MAX_RECORDS && offset < maxBytes) return true;
      cut = true;
      return false;
    },
  });
  return { meta, preview, readable, cut: cut && !found, warnings };
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
  /** The head budget ran out before a user message: the preview may exist further in. */
  previewUnavailable: boolean;
  name: string | undefined;
}

/** The creation time a rollout name carries (local time, to the second), as ISO UTC. */
export function createdFromStamp(stamp: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})$/.exec(stamp);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * Summary of one entry; undefined when it is not a readable rollout, with exactly one warning
 * saying why. A file whose first record does not end within the head budget is still listed, from
 * its name (its head is unknown, not damaged).
 */
export async function summarize(entry: RolloutEntry, names: Map<string, { name: string }>, onWarning?: (w: StoreWarning) => void, decode: DecodeOptions = {}): Promise<SessionSummary | undefined> {
  const head = await readHead(entry.path, HEAD_MAX_BYTES, decode);
  const first = head.warnings[0];
  if (!head.readable) {
    if (first) onWarning?.(first);
    return undefined;
  }
  if (!head.meta && !(head.cut && head.warnings.length === 0)) {
    if (first && (first.code === 'ROLLOUT_EMPTY' || first.code === 'ROLLOUT_NOT_A_FILE')) onWarning?.(first);
    else onWarning?.({ path: entry.path, code: 'ROLLOUT_NOT_A_ROLLOUT', message: `first record is not a session_meta${first ? ` (${first.message.replace(/; skipped$/, '')})` : ''}; skipped` });
    return undefined;
  }
  if (first) onWarning?.(first);
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
    createdAt: head.meta?.timestamp ?? createdFromStamp(entry.stamp),
    updatedAt,
    cwd: head.meta?.cwd,
    source: head.meta?.source,
    modelProvider: head.meta?.modelProvider,
    cliVersion: head.meta?.cliVersion,
    preview: head.preview,
    previewUnavailable: head.cut,
    name: names.get(entry.id)?.name,
  };
}
