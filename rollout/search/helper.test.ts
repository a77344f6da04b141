// Search with the helper thread (forced on with workerMin 0) finds the same sessions, in the same
// order, with the same snippets and warnings as without it, over real zstd files: single frames,
// several frames (decoded by the addon), damaged and empty ones.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { searchSessions } from './search.js';
import type { StoreWarning } from '../warnings.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'search-worker-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

function line(type: string, payload: object): string {
  return JSON.stringify({ timestamp: '2026-01-02T03:04:05.000Z', type, payload });
}

function write(n: number, text: string, how: 'plain' | 'zst' | 'two-frames' | 'damaged' | 'empty'): string {
  const id = `01a20000-${n.toString(16).padStart(4, '0')}-7abc-8def-0123456789ab`;
  const stamp = `2026-05-06T07-${String(Math.floor(n / 60)).padStart(2, '0')}-${String(n % 60).padStart(2, '0')}`;
  const dir = path.join(home, 'archived_sessions');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `rollout-${stamp}-${id}.jsonl`);
  const meta = line('session_meta', { id, timestamp: '2026-01-02T03:04:05.000Z', cwd: '/p', originator: 'codex_exec', cli_version: '0.169.0', source: 'exec', model_provider: 'mock' });
  const user = line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
  fs.writeFileSync(file, `${meta}\n${user}\n`);
  if (how === 'plain') return id;
  if (how === 'two-frames') {
    const a = execFileSync('zstd', ['-q', '-c', '-3'], { input: `${meta}\n` });
    const b = execFileSync('zstd', ['-q', '-c', '-3'], { input: `${user}\n` });
    fs.writeFileSync(file + '.zst', Buffer.concat([a, b]));
  } else {
    execFileSync('zstd', ['-q', '-3', file, '-o', file + '.zst']);
    if (how === 'damaged') {
      const z = fs.readFileSync(file + '.zst');
      z.fill(0x55, 20, 40);
      fs.writeFileSync(file + '.zst', z);
    }
    if (how === 'empty') fs.writeFileSync(file + '.zst', '');
  }
  fs.rmSync(file);
  return id;
}

const expected: string[] = [];
for (let n = 0; n < 40; n++) {
  const hit = n % 3 === 0;
  const how = n === 5 ? 'two-frames' : n === 9 ? 'damaged' : n === 11 ? 'empty' : n % 4 === 1 ? 'plain' : 'zst';
  const text = hit ? `words before Kumquat-7D1E and after ${'pad '.repeat(n * 40)}` : n % 4 === 2 ? `a NAÏVE one ${n}` : `nothing here ${n}`;
  const id = write(n, text, how);
  if (hit && how !== 'damaged' && how !== 'empty') expected.unshift(id);
}

const lastStats = { helper: 0, main: 0 };

async function run(query: string, workerMin: number, limit?: number, workerOnly?: boolean) {
  const warnings: StoreWarning[] = [];
  lastStats.helper = 0;
  lastStats.main = 0;
  const hits = await searchSessions(home, query, { scope: 'archived', workerMin, limit, onWarning: (w) => warnings.push(w), hooks: { helperOnly: workerOnly, stats: lastStats } });
  return { hits: hits.map((h) => ({ id: h.id, snippet: h.snippet, role: h.role })), warnings: warnings.map((w) => `${w.code} ${path.basename(w.path)}`) };
}

describe('search helper thread', () => {
  it('gives the same results, order, snippets and warnings as the main thread alone', async () => {
    // ASCII queries go through the SIMD scanner, others through the regex, in both threads.
    for (const query of ['kumquat-7d1e', 'kumquat', 'pad pad pad', 'absent-zz9', 'naïve']) {
      const alone = await run(query, Infinity);
      expect(await run(query, 0)).toEqual(alone);
      expect(await run(query, 0, undefined, true)).toEqual(alone);
      // The helper really did the work: every file but the three it hands back (two frames, damaged, empty).
      expect(lastStats.helper).toBe(37);
      if (query === 'kumquat') expect(alone.hits.map((h) => h.id)).toEqual(expected);
      if (query === 'naïve') expect(alone.hits.map((h) => h.snippet)).toEqual([38, 34, 26, 22, 14, 10, 2].map((n) => `a NAÏVE one ${n}`));
      expect(alone.warnings.some((w) => w.startsWith('ROLLOUT_ZSTD_CORRUPT'))).toBe(true);
    }
  });

  it('stops at the limit and lets the process exit', async () => {
    for (const workerOnly of [false, true]) expect((await run('kumquat', 0, 2, workerOnly)).hits.map((h) => h.id)).toEqual(expected.slice(0, 2));
  });
});
