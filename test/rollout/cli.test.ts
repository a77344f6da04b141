// `codex sessions …`, `codex archive` / `unarchive` against the real 0.169 store and generated ones.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CODEX_BIN, codex, copyFixtureHome, requireTool, tempDir, toolSkip } from '../helpers/bin.js';
import { assistantLine, idFor, metaLine, userLine, writeSession } from './store-gen.js';

const ZST_ARCHIVED = '01a21319-057d-7493-b68c-d8a08d9ae283';
const ZST_ACTIVE = '01a21319-07c5-7761-99c9-f2bfc090f729';
const PLAIN_ARCHIVED = '01a21319-0a41-72b2-bab9-9321f1d4171f';
const RESUMED = '01a21319-0ae6-7473-bc36-a89b3856d414';

function run(home: string, args: string[]) {
  return codex(args, { env: { ...process.env, CODEX_HOME: home } });
}

function jsonLines(s: string): Record<string, unknown>[] {
  return s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Every file of a tree with its bytes and mtime: proves readers never rewrite or delete. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(path.relative(dir, p), `${fs.statSync(p).mtimeMs}:${fs.readFileSync(p).toString('base64')}`);
      else out.set(path.relative(dir, p), 'other');
    }
  };
  walk(dir);
  return out;
}

describe('codex sessions on the real 0.169 store', () => {
  it('lists active, archived and all, newest first, with compressed flags', () => {
    const home = copyFixtureHome();
    const active = jsonLines(run(home, ['sessions', 'list', '--json']).stdout);
    expect(active.length).toBe(8);
    expect(active.every((s) => s.archived === false)).toBe(true);
    expect(active.find((s) => s.id === ZST_ACTIVE)).toMatchObject({ compressed: true, preview: 'please run: ls (task 3)', source: 'exec', model_provider: 'mock', cwd: '/home/dev/project' });
    const archived = jsonLines(run(home, ['sessions', 'list', '--archived', '--json']).stdout);
    expect(archived.map((s) => s.id)).toContain(ZST_ARCHIVED);
    expect(archived.filter((s) => s.compressed).length).toBe(4);
    const all = run(home, ['sessions', 'list', '--all', '--json', '--limit', '100']);
    expect(all.status).toBe(0);
    expect(all.stderr).toBe('');
    const items = jsonLines(all.stdout);
    expect(items.length).toBe(13);
    const keys = items.map((s) => `${path.basename(String(s.path)).slice(8, 27)}${s.id}`);
    expect([...keys].sort().reverse()).toEqual(keys);
    expect(items.every((s) => typeof s.preview === 'string' && (s.preview as string).length > 0)).toBe(true);
  });

  it('filters by cwd, source and provider', () => {
    const home = copyFixtureHome();
    expect(jsonLines(run(home, ['sessions', 'list', '--all', '--json', '--cwd', '/home/dev/project', '--limit', '50']).stdout).length).toBe(13);
    expect(run(home, ['sessions', 'list', '--all', '--json', '--cwd', '/elsewhere']).stdout).toBe('');
    expect(jsonLines(run(home, ['sessions', 'list', '--json', '--source', 'exec', '--provider', 'mock']).stdout).length).toBe(8);
    expect(run(home, ['sessions', 'list', '--json', '--provider', 'openai']).stdout).toBe('');
  });

  it('shows a compressed transcript and prints paths by id', () => {
    const home = copyFixtureHome();
    const show = run(home, ['sessions', 'show', ZST_ARCHIVED, '--json']);
    expect(show.status).toBe(0);
    const msgs = jsonLines(show.stdout);
    expect(msgs[0]).toMatchObject({ role: 'user', text: 'fix the flaky test in parser (task 0)' });
    expect(msgs.some((m) => m.role === 'assistant')).toBe(true);
    const raw = run(home, ['sessions', 'show', ZST_ARCHIVED, '--raw']);
    const p = run(home, ['sessions', 'path', ZST_ARCHIVED]).stdout.trim();
    expect(p.endsWith('.jsonl.zst')).toBe(true);
    expect(raw.stdout).toBe(execFileSync('zstd', ['-dc', p]).toString('utf8'));
  });

  it('searches plain and compressed message text, case-insensitive, newest first, with snippets', () => {
    const home = copyFixtureHome();
    const hits = jsonLines(run(home, ['sessions', 'search', 'ZEBRA-marker', '--all', '--json']).stdout);
    expect(hits.map((h) => h.id)).toEqual(['01a21319-0e16-76f0-805f-0e3bd17c6b06', '01a21319-0637-7142-b9ea-8749f1dbfa0c']);
    expect(hits[1]).toMatchObject({ compressed: true, archived: true, role: 'user' });
    expect(String(hits[0]!.snippet)).toContain('zebra-marker');
    // active scope by default
    expect(jsonLines(run(home, ['sessions', 'search', 'zebra-marker', '--json']).stdout).length).toBe(1);
    // second turn of a resumed session; Unicode query folded case-insensitively
    expect(jsonLines(run(home, ['sessions', 'search', 'resumed-marker', '--json']).stdout).map((h) => h.id)).toContain(RESUMED);
    expect(jsonLines(run(home, ['sessions', 'search', 'ÜNÏCÖDÉ PROMPT', '--json']).stdout).length).toBe(1);
    // only message text: the base instructions every file carries do not match
    expect(run(home, ['sessions', 'search', 'You are a coding agent running in the Codex CLI', '--all', '--json']).stdout).toBe('');
    const text = run(home, ['sessions', 'search', 'needle-7f3a']);
    expect(text.stdout).toMatch(/^01a21319-0c7d-7401-a743-ece0df82ffc0 .* user: please run: echo needle-7f3a/);
  });

  it('archives and unarchives both forms by rename, keeping bytes and mtime', () => {
    const home = copyFixtureHome();
    for (const id of [ZST_ARCHIVED, PLAIN_ARCHIVED]) {
      const before = run(home, ['sessions', 'path', id]).stdout.trim();
      const bytes = fs.readFileSync(before);
      const mtime = fs.statSync(before).mtimeMs;
      const un = run(home, ['unarchive', id]);
      expect(un.status).toBe(0);
      const moved = un.stdout.trim();
      expect(moved).toBe(path.join(home, 'sessions/2026/11/25', path.basename(before)));
      expect(fs.existsSync(before)).toBe(false);
      expect(fs.readFileSync(moved).equals(bytes)).toBe(true);
      expect(fs.statSync(moved).mtimeMs).toBe(mtime);
      expect(jsonLines(run(home, ['sessions', 'list', '--json']).stdout).map((s) => s.id)).toContain(id);
      const back = run(home, ['archive', id]);
      expect(back.stdout.trim()).toBe(before);
      expect(fs.statSync(before).mtimeMs).toBe(mtime);
      expect(fs.existsSync(path.join(home, 'thread-writer-locks', `${id}.lock`))).toBe(false);
    }
    const again = run(home, ['archive', ZST_ARCHIVED]);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('already archived');
  });

  const bwrap = '/usr/bin/bwrap';
  const noBwrap = toolSkip('/usr/bin/bwrap (to mount the store read-only)', fs.existsSync(bwrap));
  it.skipIf(noBwrap.skip)(`archive on a read-only store fails with ROLLOUT_STORE_UNWRITABLE and changes nothing${noBwrap.note}`, () => {
    requireTool(bwrap, fs.existsSync(bwrap));
    const home = copyFixtureHome();
    const ro = spawnSync(bwrap, ['--dev-bind', '/', '/', '--ro-bind', home, home, CODEX_BIN, 'archive', ZST_ACTIVE], { env: { ...process.env, CODEX_HOME: home }, encoding: 'utf8' });
    expect(ro.status).toBe(1);
    expect(ro.stderr).toMatch(/cannot write to the session store: .*EROFS.* \[ROLLOUT_STORE_UNWRITABLE\]/);
    expect(fs.existsSync(path.join(home, 'archived_sessions', path.basename(run(home, ['sessions', 'path', ZST_ACTIVE]).stdout.trim())))).toBe(false);
  });

  it('errors: unknown id, bad cursor, usage', () => {
    const home = copyFixtureHome();
    const r = run(home, ['sessions', 'show', '01a21319-0000-7000-8000-000000000000']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("codex: no session with id or name '01a21319-0000-7000-8000-000000000000' [SESSION_NOT_FOUND]\n");
    expect(run(home, ['archive', 'no-such-name']).stderr).toContain('[SESSION_NOT_FOUND]');
    const c = run(home, ['sessions', 'list', '--cursor', 'garbage']);
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('[BAD_CURSOR]');
    expect(run(home, ['sessions', 'list', '--archived', '--all']).status).toBe(2);
    expect(run(home, ['sessions', 'nope']).stderr).toContain('[UNKNOWN_COMMAND]');
  });
});

describe('cursor paging', () => {
  it('100 sessions in one second: pages never skip or repeat', () => {
    const home = tempDir();
    const stamp = '2026-03-04T05-06-07';
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const id = idFor(i);
      ids.push(id);
      writeSession(home, stamp, id, [metaLine(id), userLine(`task ${i}`)], { archived: i % 3 === 0 });
    }
    // neighbours in other seconds
    writeSession(home, '2026-03-04T05-06-08', idFor(500), [metaLine(idFor(500)), userLine('later')]);
    writeSession(home, '2026-03-04T05-06-06', idFor(501), [metaLine(idFor(501)), userLine('earlier')]);
    for (const [scope, want] of [
      ['--all', 102],
      ['--archived', 34],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 50; page++) {
        const r = run(home, ['sessions', 'list', scope, '--json', '--limit', '7', ...(cursor ? ['--cursor', cursor] : [])]);
        expect(r.status).toBe(0);
        const lines = jsonLines(r.stdout);
        const last = lines[lines.length - 1]!;
        cursor = typeof last.next_cursor === 'string' ? last.next_cursor : undefined;
        seen.push(...lines.filter((l) => l.id).map((l) => String(l.id)));
        if (!cursor) break;
      }
      expect(seen.length).toBe(want);
      expect(new Set(seen).size).toBe(want);
    }
    const all = jsonLines(run(home, ['sessions', 'list', '--all', '--json', '--limit', '200']).stdout).map((l) => String(l.id));
    expect(all.slice(1, 101)).toEqual([...ids].sort().reverse());
  });

  it('text mode prints the next-page hint on stderr', () => {
    const home = tempDir();
    for (let i = 0; i < 3; i++) writeSession(home, '2026-03-04T05-06-07', idFor(i), [metaLine(idFor(i)), userLine(`t${i}`)]);
    const r = run(home, ['sessions', 'list', '--limit', '2']);
    expect(r.stdout.trim().split('\n').length).toBe(2);
    expect(r.stderr).toMatch(/^more: codex sessions list --cursor \S+/);
  });
});

describe('search without the system libzstd (the embedded addon decodes)', () => {
  it('gives the same hits, order, snippets and warnings as with it', () => {
    const home = copyFixtureHome();
    // A corrupt and a truncated .zst too, so the warnings are compared as well.
    const arch = path.join(home, 'archived_sessions');
    const zsts = fs.readdirSync(arch).filter((f) => f.endsWith('.zst'));
    const a = fs.readFileSync(path.join(arch, zsts[0]!));
    a.fill(0x55, 20, 40);
    fs.writeFileSync(path.join(arch, zsts[0]!), a);
    const b = fs.readFileSync(path.join(arch, zsts[1]!));
    fs.writeFileSync(path.join(arch, zsts[1]!), b.subarray(0, b.length - 10));
    for (const q of ['zebra-marker', 'needle-7f3a', 'ÜNÏCÖDÉ', 'task', 'fix the flaky']) {
      const args = ['sessions', 'search', q, '--all', '--json'];
      const withLib = codex(args, { env: { ...process.env, CODEX_HOME: home } });
      const addon = codex(args, { env: { ...process.env, CODEX_HOME: home, CODEX_TS_SYSTEM_ZSTD: '0' } });
      expect(addon.status).toBe(0);
      expect(addon.stdout, q).not.toBe('');
      expect(addon.stdout).toBe(withLib.stdout);
      expect(addon.stderr).toBe(withLib.stderr);
    }
    expect(codex(['sessions', 'search', 'task', '--all', '--json'], { env: { ...process.env, CODEX_HOME: home, CODEX_TS_SYSTEM_ZSTD: '0' } }).stderr).toContain('[ROLLOUT_ZSTD_CORRUPT]');
  });
});

describe('search inside the executable', () => {
  it('runs its helper thread (which must load node:worker_threads and koffi there) and finds what one thread finds', () => {
    const home = tempDir('search-helper-');
    // 80 sessions (the helper starts from 64), half archived and compressed, every fifth a hit.
    for (let n = 0; n < 80; n++) {
      const stamp = `2026-03-${String(1 + (n % 28)).padStart(2, '0')}T10-00-${String(n % 60).padStart(2, '0')}`;
      const id = idFor(n);
      const text = n % 5 === 0 ? `please look at the Wombat-42 ticket (${n})` : `nothing to see ${n}`;
      const s = writeSession(home, stamp, id, [metaLine(id), userLine(text), assistantLine('ok')], { archived: n % 2 === 1 });
      if (n % 2 === 1) execFileSync('zstd', ['-q', '--rm', '-3', s.path, '-o', `${s.path}.zst`]);
    }
    const args = ['sessions', 'search', 'wombat-42', '--all', '--json'];
    // The main thread leaves every file to the helper: all 80 come back from it.
    const withHelper = codex(args, { env: { ...process.env, CODEX_HOME: home, CODEX_TS_SEARCH_STATS: '1', CODEX_TS_SEARCH_HELPER_ONLY: '1' } });
    expect(withHelper.status).toBe(0);
    expect(withHelper.stderr).toContain('the helper thread took 80 files');
    // Without libzstd there is no helper: one thread and the addon, the same answer.
    const alone = codex(args, { env: { ...process.env, CODEX_HOME: home, CODEX_TS_SYSTEM_ZSTD: '0', CODEX_TS_SEARCH_STATS: '1' } });
    expect(alone.stderr).toContain('the helper thread took 0 files');
    expect(jsonLines(withHelper.stdout).map((h) => h.id)).toEqual(jsonLines(alone.stdout).map((h) => h.id));
    expect(jsonLines(withHelper.stdout)).toHaveLength(16);
  });
});

describe('bad input never aborts a listing or search, and readers change nothing', () => {
  it('truncated, torn, corrupt and truncated .zst, non-rollout, empty, unreadable files, missing user message', () => {
    const home = tempDir();
    const stamp = (s: number) => `2026-05-06T07-08-${String(s).padStart(2, '0')}`;
    const good = writeSession(home, stamp(1), idFor(1), [metaLine(idFor(1)), userLine('good needle here'), assistantLine('fine')]);
    const truncated = writeSession(home, stamp(2), idFor(2), [metaLine(idFor(2)), userLine('truncated needle')]);
    fs.appendFileSync(truncated.path, '{"timestamp":"2026-01-02T03:04:06.000Z","ordinal":2,"type":"resp');
    const tornId = idFor(3);
    const torn = writeSession(home, stamp(3), tornId, [metaLine(tornId), userLine('before the tear'), '{"timestamp":"2026-01-02T03:04:06.000Z","ordinal":2,"type":"response_item","pay' + assistantLine('torn needle survives', 3)]);
    const zbad = writeSession(home, stamp(4), idFor(4), [metaLine(idFor(4)), userLine('corrupt zst needle')]);
    execFileSync('zstd', ['-q', '-3', '--rm', zbad.path]);
    const zb = fs.readFileSync(zbad.path + '.zst');
    zb.fill(0x55, 20, 40);
    fs.writeFileSync(zbad.path + '.zst', zb);
    const ztrunc = writeSession(home, stamp(5), idFor(5), [metaLine(idFor(5)), userLine('truncated zst needle ' + 'x'.repeat(5000))]);
    execFileSync('zstd', ['-q', '-3', '--rm', ztrunc.path]);
    const zt = fs.readFileSync(ztrunc.path + '.zst');
    fs.writeFileSync(ztrunc.path + '.zst', zt.subarray(0, zt.length - 10));
    const dayDir = path.dirname(good.path);
    fs.writeFileSync(path.join(dayDir, 'notes.txt'), 'not a rollout');
    fs.writeFileSync(path.join(dayDir, `rollout-${stamp(6)}-${idFor(6)}.jsonl`), '');
    fs.symlinkSync('/nonexistent/target', path.join(dayDir, `rollout-${stamp(7)}-${idFor(7)}.jsonl`));
    const noUser = writeSession(home, stamp(8), idFor(8), [metaLine(idFor(8)), ...Array.from({ length: 50 }, (_, i) => JSON.stringify({ timestamp: 'x', ordinal: i + 1, type: 'event_msg', payload: { type: 'token_count', pad: 'p'.repeat(100) } }))]);
    fs.writeFileSync(path.join(dayDir, `rollout-${stamp(9)}-${idFor(9)}.jsonl`), '{"hello":"world"}\n');
    const before = snapshot(home);

    const list = run(home, ['sessions', 'list', '--json', '--limit', '100']);
    expect(list.status).toBe(0);
    const ids = jsonLines(list.stdout).map((l) => l.id);
    expect(ids).toEqual([noUser.id, tornId, truncated.id, good.id]);
    expect(jsonLines(list.stdout)[0]!.preview).toBe('');
    expect(list.stderr).toContain(`${zbad.path}.zst: corrupt zstd data`);
    expect(list.stderr).toContain('[ROLLOUT_ZSTD_CORRUPT]');
    expect(list.stderr).toContain('notes.txt: not a rollout file name; ignored [ROLLOUT_NOT_A_ROLLOUT]');
    expect(list.stderr).toContain('empty rollout file [ROLLOUT_EMPTY]');
    expect(list.stderr).toContain('[ROLLOUT_UNREADABLE]');
    expect(list.stderr).toContain('first record is not a session_meta; skipped [ROLLOUT_NOT_A_ROLLOUT]');
    for (const l of list.stderr.trim().split('\n')) expect(l).toMatch(/^warning: \S+: .* \[[A-Z_]+\]$/);

    const search = run(home, ['sessions', 'search', 'NEEDLE', '--json']);
    expect(search.status).toBe(0);
    expect(jsonLines(search.stdout).map((h) => h.id)).toEqual([tornId, truncated.id, good.id]);
    expect(search.stderr).toContain('[ROLLOUT_ZSTD_CORRUPT]');

    const showTorn = run(home, ['sessions', 'show', tornId, '--json']);
    expect(showTorn.status).toBe(0);
    expect(jsonLines(showTorn.stdout).map((m) => m.text)).toEqual(['before the tear', 'torn needle survives']);
    expect(showTorn.stderr).toMatch(/torn write at line 3: kept 1 record\(s\) of the damaged line \[ROLLOUT_TORN_LINE\]/);
    const showTrunc = run(home, ['sessions', 'show', truncated.id, '--json']);
    expect(showTrunc.status).toBe(0);
    expect(showTrunc.stderr).toMatch(/truncated last line \(\d+ bytes\) skipped \[ROLLOUT_TRUNCATED\]/);
    const showZ = run(home, ['sessions', 'show', ztrunc.id]);
    expect(showZ.status).toBe(1);
    expect(showZ.stderr).toContain('[ROLLOUT_ZSTD_CORRUPT]');

    expect(snapshot(home)).toEqual(before);
  });

  it('an ambiguous name lists its candidates; a later entry renames', () => {
    const home = tempDir();
    const a = writeSession(home, '2026-05-06T07-08-01', idFor(1), [metaLine(idFor(1)), userLine('a')]);
    const b = writeSession(home, '2026-05-06T07-08-02', idFor(2), [metaLine(idFor(2)), userLine('b')], { archived: true });
    const idx = [
      { id: a.id, thread_name: 'dup', updated_at: '2026-05-06T07:08:01Z' },
      { id: b.id, thread_name: 'dup', updated_at: '2026-05-06T07:08:02Z' },
    ];
    fs.writeFileSync(path.join(home, 'session_index.jsonl'), idx.map((e) => JSON.stringify(e) + '\n').join(''));
    const r = run(home, ['sessions', 'path', 'dup']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[SESSION_AMBIGUOUS]');
    expect(r.stderr).toContain(a.id);
    expect(r.stderr).toContain(b.id);
    fs.appendFileSync(path.join(home, 'session_index.jsonl'), JSON.stringify({ id: b.id, thread_name: 'other', updated_at: '2026-05-06T07:09:00Z' }) + '\n');
    expect(run(home, ['sessions', 'path', 'dup']).stdout.trim()).toBe(a.path);
    expect(run(home, ['sessions', 'path', 'other']).stdout.trim()).toBe(b.path);
    expect(jsonLines(run(home, ['sessions', 'list', '--all', '--json']).stdout).find((s) => s.id === a.id)!.name).toBe('dup');
  });
});
