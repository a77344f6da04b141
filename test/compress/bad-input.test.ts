// Bad input: the worker reports, skips and never loses the plain file.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCompressionPass } from '../../rollout/compress/index.js';
import { codex, tempDir } from '../helpers/bin.js';
import { exists, makeStore, PASS_DEFAULTS, readThread, rolloutText, tempsIn, zstdCli } from './helpers.js';

const pass = (home: string, extra: Partial<Parameters<typeof runCompressionPass>[0]> = {}) => runCompressionPass({ home, ...PASS_DEFAULTS, ...extra });

function mount(args: string[]): boolean {
  return spawnSync('mount', args, { encoding: 'utf8' }).status === 0;
}
function umount(dir: string): void {
  spawnSync('umount', ['-l', dir]);
}

describe('bad input', () => {
  it('corrupt or truncated .zst files: reported, plain kept, other files still compressed (CLI exit 1)', async () => {
    const { home, stems } = makeStore(5, 30_000);
    const [garbage, truncated, good, zstOnly, disagree] = stems as [string, string, string, string, string];
    fs.writeFileSync(`${garbage}.jsonl.zst`, Buffer.from('28b52ffd0000deadbeef', 'hex'));
    const full = spawnSync('zstd', ['-3', '-c', `${truncated}.jsonl`]).stdout;
    fs.writeFileSync(`${truncated}.jsonl.zst`, full.subarray(0, full.length >> 1));
    // a .zst alone that is broken is not the worker's to touch: left as is
    fs.writeFileSync(`${zstOnly}.jsonl.zst`, Buffer.from('not zstd'));
    fs.rmSync(`${zstOnly}.jsonl`);
    fs.writeFileSync(`${disagree}.jsonl.zst`, spawnSync('zstd', ['-3', '-c'], { input: rolloutText('other', 5000, 9) }).stdout);
    const before = new Map(stems.filter((s) => s !== zstOnly).map((s) => [s, fs.readFileSync(`${s}.jsonl`)]));

    const r = codex(['sessions', 'compress', '--json'], { env: { ...process.env, CODEX_HOME: home } });
    expect(r.status).toBe(1);
    const s = JSON.parse(r.stdout) as { errors: number; files: { path: string; action: string; reason?: string; error?: string; code?: string }[] };
    const by = new Map(s.files.map((f) => [f.path, f]));
    // The code is a field of its own, never inside the message text.
    expect(by.get(`${garbage}.jsonl`)).toMatchObject({ reason: 'corrupt_zst', code: 'ROLLOUT_ZSTD_CORRUPT', error: expect.not.stringContaining('[') });
    expect(by.get(`${truncated}.jsonl`)).toMatchObject({ reason: 'corrupt_zst', code: 'ROLLOUT_ZSTD_CORRUPT' });
    expect(by.get(`${disagree}.jsonl`)).toMatchObject({ reason: 'disagree' });
    expect(by.get(`${good}.jsonl`)?.action).toBe('compressed');
    expect(s.errors).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`corrupt_zst: ${garbage}\\.jsonl: .+ \\[ROLLOUT_ZSTD_CORRUPT\\]\n`));
    expect(r.stderr).toContain(`disagree: ${disagree}.jsonl`);
    for (const [stem, bytes] of before) expect((await readThread(stem)).equals(bytes)).toBe(true);
    expect(fs.readFileSync(`${zstOnly}.jsonl.zst`, 'utf8')).toBe('not zstd');
    expect(zstdCli(`${good}.jsonl.zst`).equals(before.get(good)!)).toBe(true);
  });

  it('a file removed during the run, before the copy or before the commit: reported as vanished, nothing half-done', async () => {
    const { home, stems } = makeStore(3, 20_000);
    const [early, late, ok] = stems as [string, string, string];
    const s = await pass(home, {
      concurrency: 1,
      hooks: {
        afterScan: () => fs.rmSync(`${early}.jsonl`),
        beforeLock: (p) => {
          if (p === `${late}.jsonl`) fs.rmSync(p);
        },
      },
    });
    const by = new Map(s.files.map((f) => [f.path, f]));
    expect(by.get(`${early}.jsonl`)).toMatchObject({ action: 'skipped', reason: 'vanished' });
    expect(by.get(`${late}.jsonl`)).toMatchObject({ action: 'skipped', reason: 'vanished' });
    expect(by.get(`${ok}.jsonl`)?.action).toBe('compressed');
    expect(exists(`${early}.jsonl.zst`) || exists(`${late}.jsonl.zst`)).toBe(false);
    expect(tempsIn(home)).toEqual([]);
  });

  it('a read-only archive folder (read-only bind mount): reported, plain kept, no temp left', async (ctx) => {
    const { home, stems } = makeStore(2, 20_000);
    const arch = path.join(home, 'archived_sessions');
    if (!mount(['--bind', arch, arch])) return ctx.skip('cannot bind-mount (needs root or CAP_SYS_ADMIN)');
    try {
      if (!mount(['-o', 'remount,bind,ro', arch])) return ctx.skip('cannot remount read-only');
      const before = stems.map((s) => fs.readFileSync(`${s}.jsonl`));
      const s = await pass(home);
      expect(s.compressed).toBe(0);
      expect(s.files.every((f) => f.reason === 'error' && /EROFS|read-only/i.test(f.error ?? ''))).toBe(true);
      stems.forEach((st, i) => expect(fs.readFileSync(`${st}.jsonl`).equals(before[i]!)).toBe(true));
      expect(tempsIn(home)).toEqual([]);
    } finally {
      umount(arch);
    }
    expect((await pass(home)).compressed).toBe(2); // writable again: done
  });

  it('a full disk (1 MiB tmpfs): ENOSPC reported, plain kept, no temp left; fine once there is room', async (ctx) => {
    const mnt = tempDir('codex-tmpfs-');
    if (!mount(['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt])) return ctx.skip('cannot mount a tmpfs (needs root); ENOSPC not simulated');
    try {
      const home = path.join(mnt, 'home');
      const arch = path.join(home, 'archived_sessions');
      fs.mkdirSync(arch, { recursive: true });
      fs.mkdirSync(path.join(home, '.tmp'));
      fs.mkdirSync(path.join(home, 'thread-writer-locks'));
      const stem = path.join(arch, 'rollout-2026-01-01T10-00-00-01a21319-0000-7000-8000-00000000abcd');
      // hex noise: compresses to about half, far more than the room left below
      const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ timestamp: '2026-01-01T00:00:00Z', type: 'event_msg', payload: { type: 'noise', i, hex: randomBytes(500).toString('hex') } }));
      fs.writeFileSync(`${stem}.jsonl`, lines.join('\n') + '\n');
      const old = new Date(Date.now() - 10 * 86_400_000);
      fs.utimesSync(`${stem}.jsonl`, old, old);
      const before = fs.readFileSync(`${stem}.jsonl`);
      // fill the rest of the disk
      const filler = path.join(mnt, 'filler');
      const fd = fs.openSync(filler, 'w');
      try {
        const chunk = Buffer.alloc(4096, 1);
        for (;;) fs.writeSync(fd, chunk);
      } catch (e) {
        expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        fs.closeSync(fd);
      }
      // leave 64 KiB: room for the lock file, not for the compressed copy
      fs.truncateSync(filler, fs.statSync(filler).size - 64 * 1024);
      const s = await pass(home);
      expect(s.compressed).toBe(0);
      expect(s.files[0]).toMatchObject({ action: 'skipped', reason: 'error', code: 'IO_ERROR' });
      expect(s.files[0]?.error).toMatch(/ENOSPC|no space/i);
      expect(fs.readFileSync(`${stem}.jsonl`).equals(before)).toBe(true);
      expect(exists(`${stem}.jsonl.zst`)).toBe(false);
      expect(tempsIn(home)).toEqual([]);
      fs.rmSync(filler);
      const again = await pass(home);
      expect(again.compressed).toBe(1);
      expect((await readThread(stem)).equals(before)).toBe(true);
    } finally {
      umount(mnt);
    }
  });
});
