// The store API against a copy of the real Codex 0.169 store: readers, recorder, materialize,
// locks, archive/unarchive.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { archiveSession, readAllRecords, resolveSession, RolloutRecorder, scopeEntries, unarchiveSession } from '../../rollout/index.js';
import { sessionMetaOf } from '../../rollout/format.js';
import { cleanStaleThreadLocks, isThreadLocked, readLockHolder, tryThreadWriterLock, withThreadWriterLock } from '../../rollout/locks.js';
import { findById } from '../../rollout/lookup.js';
import { readContent } from '../../rollout/reader.js';
import { setThreadName } from '../../rollout/thread-name.js';
import { copyFixtureHome, tempDir } from '../helpers/bin.js';

const ZST_ARCHIVED = '01a21319-057d-7493-b68c-d8a08d9ae283';
const ZST_ACTIVE = '01a21319-07c5-7761-99c9-f2bfc090f729';
const PLAIN_ACTIVE = '01a21319-0ae6-7473-bc36-a89b3856d414';

describe('readers on the 0.169 store', () => {
  it('lists all 13 rollouts in both forms, newest first, and reads every record', async () => {
    const home = copyFixtureHome();
    const all = [...scopeEntries(home, 'all')];
    expect(all.length).toBe(13);
    expect(all.filter((e) => e.compressed).length).toBe(5);
    for (let i = 1; i < all.length; i++) expect(`${all[i - 1]!.stamp}${all[i - 1]!.id}` > `${all[i]!.stamp}${all[i]!.id}`).toBe(true);
    for (const e of all) {
      const { records, warnings, ok } = await readAllRecords(e.path);
      expect(ok).toBe(true);
      expect(warnings).toEqual([]);
      expect(sessionMetaOf(records[0]!)?.id).toBe(e.id);
      // byte-exact: the raw lines are the decoded content
      const bytes = await readContent(e.path);
      expect(records.map((r) => r.raw + '\n').join('')).toBe(bytes.toString('utf8'));
      if (e.compressed) expect(bytes.equals(execFileSync('zstd', ['-dc', e.path]))).toBe(true);
    }
  });
});

describe('recorder', () => {
  it('creates a session file under sessions/YYYY/MM/DD with session_meta and ordinals, holding the lock', async () => {
    const home = tempDir();
    const rec = await RolloutRecorder.create(home, { cwd: '/tmp/x', modelProvider: 'mock' });
    expect(rec.path).toMatch(/sessions\/\d{4}\/\d{2}\/\d{2}\/rollout-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}\.jsonl$/);
    expect(isThreadLocked(home, rec.id)).toBe(true);
    expect(readLockHolder(home, rec.id)?.pid).toBe(process.pid);
    expect(tryThreadWriterLock(home, rec.id)).toBeUndefined();
    rec.append('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] });
    rec.close();
    expect(fs.existsSync(path.join(home, 'thread-writer-locks', `${rec.id}.lock`))).toBe(false);
    const { records } = await readAllRecords(rec.path);
    expect(records.map((r) => [r.kind, r.ordinal])).toEqual([
      ['session_meta', 0],
      ['response_item', 1],
    ]);
  });

  it('resume of a .zst materializes the exact bytes first, then appends', async () => {
    const home = copyFixtureHome();
    const before = findById(home, ZST_ACTIVE)!;
    expect(before.compressed).toBe(true);
    const original = execFileSync('zstd', ['-dc', before.path]);
    const mtime = fs.statSync(before.path).mtimeMs;
    const rec = await RolloutRecorder.resume(home, ZST_ACTIVE);
    expect(rec.path).toBe(before.path.slice(0, -4));
    expect(fs.existsSync(before.path)).toBe(false);
    expect(fs.readFileSync(rec.path).equals(original)).toBe(true);
    expect(fs.statSync(rec.path).mtimeMs).toBe(mtime);
    const line = rec.append('event_msg', { type: 'agent_message', message: 'appended' });
    rec.close();
    const after = fs.readFileSync(rec.path, 'utf8');
    expect(after).toBe(original.toString('utf8') + line + '\n');
    const lastOrd = original.toString().trim().split('\n').length;
    expect(JSON.parse(line).ordinal).toBe(lastOrd);
  });

  it('a legacy file (no paginated history_mode) gets no ordinals on resume; a torn tail starts a fresh line', async () => {
    const home = tempDir();
    const id = '01a21319-aaaa-7bbb-8ccc-dddddddddddd';
    const dir = path.join(home, 'sessions/2026/01/02');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `rollout-2026-01-02T03-04-05-${id}.jsonl`);
    const legacy = `{"timestamp":"2026-01-02T03:04:05.000Z","type":"session_meta","payload":{"id":"${id}","cwd":"/x"}}\n{"timestamp":"2026-01-02T03:04:06.000Z","type":"resp`;
    fs.writeFileSync(file, legacy);
    const rec = await RolloutRecorder.resume(home, id);
    const line = rec.append('event_msg', { type: 'agent_message', message: 'x' });
    rec.close();
    expect(JSON.parse(line).ordinal).toBeUndefined();
    expect(fs.readFileSync(file, 'utf8')).toBe(legacy + '\n' + line + '\n');
  });

  it('plain wins when both forms exist: the .zst is left alone', async () => {
    const home = copyFixtureHome();
    const e = findById(home, PLAIN_ACTIVE)!;
    fs.writeFileSync(e.path + '.zst', 'not even zstd');
    const rec = await RolloutRecorder.resume(home, PLAIN_ACTIVE);
    rec.close();
    expect(fs.readFileSync(e.path + '.zst', 'utf8')).toBe('not even zstd');
  });
});

describe('stale lock files', () => {
  it('are removed when nobody holds them; held ones stay', async () => {
    const home = tempDir();
    const held = '01a21319-0000-7000-8000-000000000001';
    const stale = '01a21319-0000-7000-8000-000000000002';
    const lock = tryThreadWriterLock(home, held)!;
    fs.writeFileSync(path.join(home, 'thread-writer-locks', `${stale}.lock`), '{"pid":999999}\n');
    expect(cleanStaleThreadLocks(home)).toEqual([stale]);
    expect(fs.existsSync(path.join(home, 'thread-writer-locks', `${held}.lock`))).toBe(true);
    expect(isThreadLocked(home, held)).toBe(true);
    lock.release();
    expect(fs.existsSync(path.join(home, 'thread-writer-locks', `${held}.lock`))).toBe(false);
    expect(fs.existsSync(path.join(home, 'thread-writer-locks', '.coordination.lock'))).toBe(true);
  });
});

describe('archive / unarchive', () => {
  it('moves the compressed form by rename, keeping bytes and mtime, both ways', async () => {
    const home = copyFixtureHome();
    const e = findById(home, ZST_ARCHIVED)!;
    const bytes = fs.readFileSync(e.path);
    const mtime = fs.statSync(e.path).mtimeMs;
    const r = await unarchiveSession(home, ZST_ARCHIVED);
    expect(r.path).toBe(path.join(home, 'sessions/2026/11/25', path.basename(e.path)));
    expect(fs.readFileSync(r.path).equals(bytes)).toBe(true);
    expect(fs.statSync(r.path).mtimeMs).toBe(mtime);
    const back = await archiveSession(home, ZST_ARCHIVED);
    expect(back.path).toBe(e.path);
    expect(fs.statSync(back.path).mtimeMs).toBe(mtime);
    expect((await archiveSession(home, ZST_ARCHIVED)).moved).toBe(false);
  });

  it('refuses while another writer holds the thread lock, naming the holder', async () => {
    const home = copyFixtureHome();
    await withThreadWriterLock(home, PLAIN_ACTIVE, async () => {
      await expect(archiveSession(home, PLAIN_ACTIVE, { timeoutMs: 0 })).rejects.toMatchObject({ code: 'ROLLOUT_LOCKED', message: expect.stringContaining(`pid ${process.pid}`) });
    });
    expect((await archiveSession(home, PLAIN_ACTIVE)).moved).toBe(true);
  });
});

describe('names', () => {
  it('last entry wins; a shared name is ambiguous; a taken name collides', async () => {
    const home = copyFixtureHome();
    await setThreadName(home, PLAIN_ACTIVE, 'first');
    await setThreadName(home, PLAIN_ACTIVE, 'second');
    expect(resolveSession(home, 'second').entry.id).toBe(PLAIN_ACTIVE);
    expect(() => resolveSession(home, 'first')).toThrow(expect.objectContaining({ code: 'SESSION_NOT_FOUND' }));
    await expect(setThreadName(home, ZST_ARCHIVED, 'second')).rejects.toMatchObject({ code: 'ROLLOUT_NAME_COLLISION' });
    await setThreadName(home, ZST_ARCHIVED, 'second', { allowDuplicate: true });
    expect(() => resolveSession(home, 'second')).toThrow(expect.objectContaining({ code: 'SESSION_AMBIGUOUS', message: expect.stringContaining(ZST_ARCHIVED) }));
    // naming a compressed thread materialized it
    expect(findById(home, ZST_ARCHIVED)!.compressed).toBe(false);
  });
});
