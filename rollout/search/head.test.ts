// A store larger than the head the main thread scans before walking the rest (search.ts): hits
// newest first across that boundary and the archive merged in, on both paths, with or without a
// signal; a bad file on either side warned once; a limit met in the head leaves the rest unread.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoreWarning } from '../warnings.js';
import { searchSessions, type SearchHooks, type SearchStats } from './search.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'search-head-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const ACTIVE = 3000;
const PER_DAY = 100;
const line = (type: string, payload: object) => JSON.stringify({ timestamp: '2026-01-02T03:04:05.000Z', type, payload });

/** Session n (0 the oldest): its day directory, stamp and id. */
function session(n: number, archived: boolean) {
  const day = 1 + Math.floor(n / PER_DAY);
  const s = n % PER_DAY;
  const stamp = `2026-01-${String(day).padStart(2, '0')}T10-${String(Math.floor(s / 60)).padStart(2, '0')}-${String(s % 60).padStart(2, '0')}`;
  const id = `01a30000-${n.toString(16).padStart(4, '0')}-7abc-8def-${archived ? 'aaaaaaaaaaaa' : '000000000000'}`;
  const dir = archived ? path.join(home, 'archived_sessions') : path.join(home, 'sessions', '2026', '01', String(day).padStart(2, '0'));
  return { id, stamp, file: path.join(dir, `rollout-${stamp}-${id}.jsonl`) };
}

function write(file: string, id: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const meta = line('session_meta', { id, timestamp: '2026-01-02T03:04:05.000Z', cwd: '/p', originator: 'codex_exec', cli_version: '0.169.0', source: 'exec', model_provider: 'mock' });
  fs.writeFileSync(file, [meta, line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text }] })].join('\n') + '\n');
}

// Needle sessions (by n, 0 the oldest): the newest, one in the head, two just past it, the oldest.
const NEEDLE_ACTIVE = [ACTIVE - 1, ACTIVE - 40, ACTIVE - 2100, ACTIVE - 2200, 0];
// Archived ones (same n scale, other ids), one compressed, falling among the active ones.
const NEEDLE_ARCHIVED = [ACTIVE - 10, ACTIVE - 2150];
const bad: string[] = [];
{
  for (let n = 0; n < ACTIVE; n++) {
    const s = session(n, false);
    write(s.file, s.id, NEEDLE_ACTIVE.includes(n) ? `fix the Quince-42 flake in ${n}` : `refactor module m${n}`);
  }
  for (const n of NEEDLE_ARCHIVED) {
    const s = session(n, true);
    write(s.file, s.id, `archived Quince-42 ${n}`);
  }
  execFileSync('zstd', ['-q', '--rm', '-3', session(NEEDLE_ARCHIVED[1]!, true).file]);
  // Garbage under rollout names, one among the newest, one deep in the rest.
  for (const n of [ACTIVE - 5, 300]) {
    const s = session(n, false);
    fs.writeFileSync(s.file, Buffer.from('\x00\x01 not json\nquince-42\nmore garbage'));
    bad.push(s.file);
  }
}

const expectedIds = (scope: 'active' | 'all') =>
  [...NEEDLE_ACTIVE.map((n) => ({ n, id: session(n, false).id })), ...(scope === 'all' ? NEEDLE_ARCHIVED.map((n) => ({ n, id: session(n, true).id })) : [])]
    .sort((a, b) => b.n - a.n || (a.id < b.id ? 1 : -1))
    .map((x) => x.id);

describe.each([
  ['the fast path', { systemZstd: true }],
  ['the careful path (the addon)', { systemZstd: false }],
] as [string, SearchHooks][])('a search over more files than its head, %s', (_, hooks) => {
  it.each([
    ['active', false],
    ['active', true],
    ['all', false],
    ['all', true],
  ] as const)('scope %s (signal: %s): every hit once, newest first, each bad file warned once', async (scope, withSignal) => {
    const warnings: StoreWarning[] = [];
    const streamed: string[] = [];
    const opts = { scope, onWarning: (w: StoreWarning) => warnings.push(w), hooks, ...(withSignal ? { signal: new AbortController().signal } : {}) };
    const hits = await searchSessions(home, 'quince-42', opts, (h) => streamed.push(h.id));
    expect(hits.map((h) => h.id)).toEqual(expectedIds(scope));
    expect(streamed).toEqual(expectedIds(scope));
    for (const b of bad) expect(warnings.filter((w) => w.path === b).length, b).toBe(1);
    expect(warnings.length).toBe(bad.length);
  });

  it('aborted at its first hit (among the newest files): rejects, reads none of the rest, starts no thread', async () => {
    const before = fs.readdirSync('/proc/self/task').length;
    const stats: SearchStats = { helper: 0, main: 0 };
    const ac = new AbortController();
    const outcome = await searchSessions(home, 'quince-42', { hooks: { ...hooks, stats }, signal: ac.signal }, () => ac.abort(new Error('next key'))).then(
      () => 'resolved',
      (e: unknown) => (e as Error).message,
    );
    expect(outcome).toBe('next key');
    expect(stats.main + stats.helper).toBeLessThan(100);
    expect(fs.readdirSync('/proc/self/task').length).toBeLessThanOrEqual(before);
  });

  it('a limit met among the newest files reads none of the rest', async () => {
    const stats: SearchStats = { helper: 0, main: 0 };
    const hits = await searchSessions(home, 'quince-42', { limit: 2, hooks: { ...hooks, stats }, signal: new AbortController().signal });
    expect(hits.map((h) => h.id)).toEqual(expectedIds('active').slice(0, 2));
    expect(stats.main + stats.helper).toBeLessThan(100);
  });
});
