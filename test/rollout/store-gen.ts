// Small generated stores for tests: minimal 0.169-shaped rollouts written directly.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';

export interface GenSession {
  id: string;
  stamp: string;
  path: string;
}

export function metaLine(id: string, cwd = '/home/dev/project', opts: { source?: string; provider?: string } = {}): string {
  return JSON.stringify({
    timestamp: '2026-01-02T03:04:05.000Z',
    ordinal: 0,
    type: 'session_meta',
    payload: { session_id: id, id, timestamp: '2026-01-02T03:04:05.000Z', cwd, originator: 'codex_exec', cli_version: '0.169.0', source: opts.source ?? 'exec', model_provider: opts.provider ?? 'mock' },
  });
}

export function userLine(text: string, ordinal = 1): string {
  return JSON.stringify({ timestamp: '2026-01-02T03:04:05.100Z', ordinal, type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
}

export function assistantLine(text: string, ordinal = 2): string {
  return JSON.stringify({ timestamp: '2026-01-02T03:04:05.200Z', ordinal, type: 'response_item', payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] } });
}

/** A v7-looking id whose time part sorts with `n` (so ids in one second are distinct and ordered). */
export function idFor(n: number): string {
  const r = randomUUID();
  return `01a20000-${n.toString(16).padStart(4, '0')}-7${r.slice(15, 18)}-${r.slice(19)}`;
}

export function writeSession(home: string, stamp: string, id: string, lines: string[], opts: { archived?: boolean } = {}): GenSession {
  const dir = opts.archived ? path.join(home, 'archived_sessions') : path.join(home, 'sessions', stamp.slice(0, 4), stamp.slice(5, 7), stamp.slice(8, 10));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `rollout-${stamp}-${id}.jsonl`);
  fs.writeFileSync(file, lines.map((l) => l + '\n').join(''));
  return { id, stamp, path: file };
}
