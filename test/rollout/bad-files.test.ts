// Bad files through the readers: one warning per bad file in a listing and a search, one code per
// cause through `show` and the commands that change the store, and a head budget that bounds what a
// listing reads without hiding a session.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHead } from '../../rollout/head.js';
import { streamContent } from '../../rollout/reader.js';
import { binsForOthers, run, tempDir } from '../helpers/bin.js';
import { cx, cxAsNobody, expectOneLineError } from '../sessions-manage/helpers.js';
import { rolloutLines, rolloutText, writeRollout, zstd } from '../sessions-manage/store.js';

/** Tests that run the binary as nobody need root and setpriv. */
const CAN_RUN_AS_NOBODY = process.getuid?.() === 0 && fs.existsSync('/usr/bin/setpriv');

function warningLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('warning: '));
}

describe('bad files in listing, search and show', () => {
  it('each bad file gives one warning; show ends with the cause’s own code', () => {
    const home = path.join(tempDir(), 'home');
    const good = writeRollout(home, { user: 'needle here' });
    const garbage = writeRollout(home, { content: '' });
    fs.writeFileSync(garbage.path, Buffer.from('\x00\x01 not json\nneedle\nmore garbage, no newline'));
    const utf16 = writeRollout(home, { content: '' });
    fs.writeFileSync(utf16.path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rolloutText({ user: 'needle' }), 'utf16le')]));
    const dir = writeRollout(home, { content: '' });
    fs.rmSync(dir.path);
    fs.mkdirSync(dir.path);
    const zst = writeRollout(home, { compressed: true, user: 'needle' });
    fs.truncateSync(zst.path, Math.floor(fs.statSync(zst.path).size / 2));

    const list = cx(home, ['sessions', 'list', '--json']);
    expect(list.status).toBe(0);
    expect(list.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual([good.id]);
    const lw = warningLines(list.stderr);
    for (const bad of [garbage, utf16, dir, zst]) expect(lw.filter((l) => l.includes(bad.path)).length, bad.path).toBe(1);
    expect(lw.length).toBe(4);
    expect(lw.find((l) => l.includes(dir.path))).toMatch(/a directory, not a rollout file \[ROLLOUT_NOT_A_FILE\]$/);
    expect(lw.find((l) => l.includes(zst.path))).toMatch(/\[ROLLOUT_ZSTD_CORRUPT\]$/);
    expect(lw.find((l) => l.includes(garbage.path))).toMatch(/\[ROLLOUT_NOT_A_ROLLOUT\]$/);

    const search = cx(home, ['sessions', 'search', 'needle', '--json']);
    expect(search.status).toBe(0);
    const sw = warningLines(search.stderr);
    for (const l of sw) expect(sw.filter((x) => x === l).length).toBe(1);
    expect(sw.filter((l) => l.includes(dir.path))).toEqual([expect.stringMatching(/\[ROLLOUT_NOT_A_FILE\]$/)]);
    expect(sw.filter((l) => l.includes(zst.path))).toEqual([expect.stringMatching(/\[ROLLOUT_ZSTD_CORRUPT\]$/)]);

    // show: one line with the cause's code, no warning before it.
    const showDir = cx(home, ['sessions', 'show', dir.id]);
    expectOneLineError(showDir, 'ROLLOUT_NOT_A_FILE', 1);
    const showZst = cx(home, ['sessions', 'show', zst.id, '--raw']);
    expectOneLineError({ ...showZst, stdout: '' }, 'ROLLOUT_ZSTD_CORRUPT', 1);
    // Permission: the first cxAsNobody call makes the tree readable; then the file alone is closed.
    // (it needs root and setpriv, which CI has; elsewhere the rest of this test still runs)
    expect(CAN_RUN_AS_NOBODY || process.env.CI !== 'true', 'CI runs as root with setpriv').toBe(true);
    if (CAN_RUN_AS_NOBODY) {
      cxAsNobody(home, ['--version']);
      fs.chmodSync(good.path, 0o600);
      const denied = run('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', binsForOthers().codex, 'sessions', 'show', good.id], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CODEX_HOME: home, HOME: tempDir() },
        timeout: 60_000,
      });
      expectOneLineError({ ...denied, stdout: '' }, 'ROLLOUT_UNREADABLE', 1);
      expect(denied.stderr).toContain('EACCES');
    }
  });

  it.skipIf(!CAN_RUN_AS_NOBODY)(`a store we cannot write is ROLLOUT_STORE_UNWRITABLE for compress, archive and unarchive too${CAN_RUN_AS_NOBODY ? '' : ' (skipped: needs root and setpriv to run as nobody)'}`, () => {
    const home = path.join(tempDir(), 'home');
    const active = writeRollout(home, { user: 'a' });
    const archived = writeRollout(home, { user: 'b', archived: true, created: new Date(Date.now() - 30 * 86_400_000) });
    fs.mkdirSync(path.join(home, '.tmp'), { recursive: true });
    const first = cxAsNobody(home, ['sessions', 'compress', '--min-age', '0'])!;
    expectOneLineError({ ...first, stdout: '' }, 'ROLLOUT_STORE_UNWRITABLE', 1);
    expectOneLineError(cxAsNobody(home, ['archive', active.id])!, 'ROLLOUT_STORE_UNWRITABLE', 1);
    expectOneLineError(cxAsNobody(home, ['unarchive', archived.id])!, 'ROLLOUT_STORE_UNWRITABLE', 1);
    expect(fs.existsSync(active.path) && fs.existsSync(archived.path)).toBe(true);
  });
});

describe('a file with no parseable record in a search', () => {
  it('gives exactly the one warning a listing gives, on every path of the search', () => {
    const home = path.join(tempDir(), 'home');
    const t = Date.now() - 3_600_000;
    // 70 good sessions (enough for the helper thread), one of them a hit.
    for (let n = 0; n < 70; n++) writeRollout(home, { user: n === 7 ? 'the needle is here' : `nothing ${n}`, created: new Date(t - n * 1000) });
    const bad = (content: Buffer, dt: number) => {
      const w = writeRollout(home, { content: '', created: new Date(t + dt) });
      fs.writeFileSync(w.path, content);
      return w.path;
    };
    const garbage = [
      bad(Buffer.from('\x00\x01\x02 binary needle \xff\xfe\n\x7f more'), 1000),
      bad(zstd(Buffer.from(rolloutText({ user: 'needle inside a zstd stream' }))), 2000),
      bad(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rolloutText({ user: 'needle in UTF-16' }), 'utf16le')]), 3000),
      bad(Buffer.alloc(0), 4000),
    ];
    const list = cx(home, ['sessions', 'list', '--json', '--limit', '100']);
    expect(list.status, list.stderr).toBe(0);
    const listed = warningLines(list.stderr);
    expect(listed).toHaveLength(garbage.length);
    for (const p of garbage) expect(listed.filter((l) => l.includes(p)), p).toHaveLength(1);
    // The direct path with a helper thread, the helper alone, and node's fs with the zstd addon.
    for (const env of [{}, { CODEX_TS_SEARCH_HELPER_ONLY: '1' }, { CODEX_TS_SYSTEM_ZSTD: '0' }] as Record<string, string>[]) {
      const search = cx(home, ['sessions', 'search', 'needle', '--json'], env);
      expect(search.status, search.stderr).toBe(0);
      expect(search.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { snippet: string }).snippet), JSON.stringify(env)).toEqual(['the needle is here']);
      expect(warningLines(search.stderr).sort(), JSON.stringify(env)).toEqual([...listed].sort());
    }
  });
});

describe('the head budget', () => {
  it('a stream stops within one chunk of the budget, whatever the file holds', async () => {
    const dir = tempDir();
    const big = path.join(dir, 'x.jsonl');
    fs.writeFileSync(big, Buffer.alloc(16 * 1024 * 1024, 'x'));
    let seen = 0;
    expect(await streamContent(big, (b) => ((seen += b.length), true), 1024 * 1024)).toBe('budget');
    expect(seen).toBeLessThanOrEqual(1024 * 1024 + 64 * 1024);
    const z = path.join(dir, 'x.jsonl.zst');
    fs.writeFileSync(z, zstd(Buffer.alloc(64 * 1024 * 1024, 'y')));
    seen = 0;
    expect(await streamContent(z, (b) => ((seen += b.length), true), 1024 * 1024)).toBe('budget');
    expect(seen).toBeLessThanOrEqual(2 * 1024 * 1024);
    const head = await readHead(big, 1024 * 1024);
    expect(head).toMatchObject({ meta: undefined, readable: true, cut: true, warnings: [] });
  });

  it('never hides a session: a first record or first user message past the budget is listed, preview marked unavailable', () => {
    const home = path.join(tempDir(), 'home');
    const t = Date.now() - 3_600_000;
    const normal = writeRollout(home, { user: 'short one', created: new Date(t) });
    // session_meta, then 3 MiB of tool output before the first user message.
    const lines = rolloutLines({ user: 'late question', created: new Date(t + 1000) });
    const filler = JSON.stringify({ timestamp: new Date(t).toISOString(), type: 'event_msg', payload: { type: 'exec_output', text: 'z'.repeat(3 * 1024 * 1024) } });
    const late = writeRollout(home, { content: [lines[0], filler, ...lines.slice(1)].join('\n') + '\n', created: new Date(t + 1000) });
    // No newline at all, larger than the budget: listed from its name.
    const noNl = writeRollout(home, { content: '', created: new Date(t + 2000) });
    fs.writeFileSync(noNl.path, Buffer.alloc(24 * 1024 * 1024, 'q'));
    const r = cx(home, ['sessions', 'list', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const items = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; preview: string; preview_unavailable: boolean; created_at: string | null; cwd: string | null });
    expect(items.map((i) => [i.id, i.preview_unavailable])).toEqual([
      [noNl.id, true],
      [late.id, true],
      [normal.id, false],
    ]);
    expect(items[0]!.created_at).toBe(new Date(Math.floor((t + 2000) / 1000) * 1000).toISOString());
    expect(items[1]!.cwd).not.toBeNull();
    expect(items[2]!.preview).toBe('short one');
    const text = cx(home, ['sessions', 'list']);
    expect(text.stdout).toContain('(first message past the head; see codex sessions show)');
  });
});
