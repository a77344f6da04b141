// An aborted search stops early and leaves nothing running: over a store that takes far longer to
// read than the tests let it, on the fast path (both threads) and on the careful one (the addon),
// aborted before it starts, at its first hit, and from a timer while it reads.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { searchSessions, type SearchHooks, type SearchStats } from './search.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'search-abort-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const FILES = 400;
const line = (type: string, payload: object) => JSON.stringify({ timestamp: '2026-01-02T03:04:05.000Z', type, payload });

// 400 archived sessions of ~250 KB each (100 MB to decode), compressed; the newest mentions the needle.
{
  const dir = path.join(home, 'archived_sessions');
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let n = 0; n < FILES; n++) {
    const id = `01a20000-${n.toString(16).padStart(4, '0')}-7abc-8def-0123456789ab`;
    const stamp = `2026-05-06T${String(Math.floor(n / 3600)).padStart(2, '0')}-${String(Math.floor(n / 60) % 60).padStart(2, '0')}-${String(n % 60).padStart(2, '0')}`;
    const meta = line('session_meta', { id, timestamp: '2026-01-02T03:04:05.000Z', cwd: '/p', originator: 'codex_exec', cli_version: '0.169.0', source: 'exec', model_provider: 'mock' });
    const talk = Array.from({ length: 1000 }, (_, k) => line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: `turn ${k} of session ${n}: ${'words and more words '.repeat(10)}` }] }));
    if (n === FILES - 1) talk.push(line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'the Kumquat-7D1E ticket' }] }));
    const file = path.join(dir, `rollout-${stamp}-${id}.jsonl`);
    fs.writeFileSync(file, [meta, ...talk].join('\n') + '\n');
    files.push(file);
  }
  for (let i = 0; i < files.length; i += 100) execFileSync('zstd', ['-q', '--rm', '-3', ...files.slice(i, i + 100)]);
}

/** Threads of this process (the helper thread is one while it runs). */
const threads = () => fs.readdirSync('/proc/self/task').length;

async function search(query: string, signal: AbortSignal, hooks: SearchHooks, onHit?: () => void) {
  const stats: SearchStats = { helper: 0, main: 0 };
  const outcome = await searchSessions(home, query, { scope: 'archived', signal, hooks: { ...hooks, stats } }, onHit).then(
    (hits) => ({ hits: hits.length }),
    (e: unknown) => ({ error: e }),
  );
  return { outcome, handled: stats.helper + stats.main };
}

describe.each([
  ['the fast path, with the helper thread', { systemZstd: true }],
  ['the careful path (the addon)', { systemZstd: false }],
] as [string, SearchHooks][])('an aborted search, %s', (_, hooks) => {
  it('reads every file when nothing stops it (the store is big enough to abort in)', async () => {
    const { outcome, handled } = await search('absent-zz9', new AbortController().signal, hooks);
    expect(outcome).toEqual({ hits: 0 });
    expect(handled).toBe(FILES);
  });

  it('rejects at once when aborted before it starts', async () => {
    const ac = new AbortController();
    ac.abort();
    const { outcome, handled } = await search('kumquat', ac.signal, hooks);
    expect(outcome).toEqual({ error: expect.objectContaining({ name: 'AbortError' }) });
    expect(handled).toBe(0);
  });

  it('stops at the hit that aborts it, and no thread outlives it', async () => {
    const before = threads();
    const ac = new AbortController();
    const { outcome, handled } = await search('kumquat-7d1e', ac.signal, hooks, () => ac.abort(new Error('enough')));
    expect(outcome).toEqual({ error: expect.objectContaining({ message: 'enough' }) });
    expect(handled).toBeGreaterThanOrEqual(1);
    expect(handled).toBeLessThan(FILES / 2);
    expect(threads()).toBeLessThanOrEqual(before);
  });

  it('stops soon after an abort from a timer while it reads, and no thread outlives it', async () => {
    const before = threads();
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 5);
    const { outcome, handled } = await search('absent-zz9', ac.signal, hooks);
    clearTimeout(timer);
    expect(outcome).toEqual({ error: expect.objectContaining({ name: 'AbortError' }) });
    expect(handled).toBeLessThan(FILES);
    expect(threads()).toBeLessThanOrEqual(before);
  });
});
