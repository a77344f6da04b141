// session_index.jsonl: append-only `{"id","thread_name","updated_at"}` lines; the last entry of an
// id wins. Lookup by name goes through it; a name held by several threads is ambiguous.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flockRelease, flockWait } from '../native/index.js';
import { isObject } from './format.js';
import { SESSION_INDEX } from './paths.js';

export interface NameEntry {
  id: string;
  name: string;
  updatedAt: string | undefined;
}

/** Current name of every thread that has one (last entry wins; damaged lines skipped). */
export function readNameIndex(home: string): Map<string, NameEntry> {
  const out = new Map<string, NameEntry>();
  let text: string;
  try {
    text = fs.readFileSync(path.join(home, SESSION_INDEX), 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    if (!line) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isObject(v) || typeof v.id !== 'string' || typeof v.thread_name !== 'string') continue;
    out.set(v.id.toLowerCase(), { id: v.id.toLowerCase(), name: v.thread_name, updatedAt: typeof v.updated_at === 'string' ? v.updated_at : undefined });
  }
  return out;
}

export function idsWithName(index: Map<string, NameEntry>, name: string): string[] {
  return [...index.values()].filter((e) => e.name === name).map((e) => e.id);
}

/** Append one entry, one write on an O_APPEND fd, under a flock on session_index.jsonl.lock. */
export function appendNameEntry(home: string, id: string, name: string, now: Date = new Date()): void {
  fs.mkdirSync(home, { recursive: true });
  const lockFd = fs.openSync(path.join(home, `${SESSION_INDEX}.lock`), fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
  try {
    flockWait(lockFd);
    const fd = fs.openSync(path.join(home, SESSION_INDEX), fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o644);
    try {
      fs.writeSync(fd, JSON.stringify({ id, thread_name: name, updated_at: now.toISOString() }) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    try {
      flockRelease(lockFd);
    } finally {
      fs.closeSync(lockFd);
    }
  }
}
