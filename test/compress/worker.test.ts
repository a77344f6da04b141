// The compression pass on real files: what it compresses, what it skips and why, the store lock.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCompressionPass } from '../../rollout/compress/index.js';
import { tryThreadWriterLock } from '../../rollout/locks.js';
import { copyFixtureHome } from '../helpers/bin.js';
import { DAY, exists, makeStore, PASS_DEFAULTS, readThread, runEntry, setAge, spawnEntry, tempsIn, zstdCli } from './helpers.js';

const pass = (home: string, extra: Partial<Parameters<typeof runCompressionPass>[0]> = {}) => runCompressionPass({ home, ...PASS_DEFAULTS, ...extra });

describe('compression pass', () => {
  it('compresses cold archived rollouts of a real 0.169 store, exact bytes, mtime and mode kept, despite 0.169\'s leftover lock', async () => {
    const home = copyFixtureHome();
    const arch = path.join(home, 'archived_sessions');
    const plainName = fs.readdirSync(arch).find((n) => n.endsWith('.jsonl'))!;
    const plain = path.join(arch, plainName);
    setAge(plain, 9 * DAY);
    fs.chmodSync(plain, 0o640);
    const before = fs.readFileSync(plain);
    const st = fs.statSync(plain);
    const sessionsBefore = fs.readdirSync(path.join(home, 'sessions/2026/11/25')).sort();
    // Codex 0.169 left `pid=… started_at=…` behind; that pid is not running here.
    expect(fs.readFileSync(path.join(home, '.tmp/rollout-compression.lock'), 'utf8')).toMatch(/^pid=\d+ started_at=SystemTime/);

    const s = await pass(home);
    expect(s.status).toBe('done');
    expect(s.compressed).toBe(1);
    expect(s.tookOverStaleLock).toMatch(/pid \d+/);
    expect(exists(plain)).toBe(false);
    const zst = `${plain}.zst`;
    expect(zstdCli(zst).equals(before)).toBe(true); // the zstd CLI reads it: a standard frame
    const zst_st = fs.statSync(zst);
    expect(zst_st.mtimeMs).toBeCloseTo(st.mtimeMs, 0);
    expect(zst_st.mode & 0o7777).toBe(0o640);
    expect(s.bytesAfter).toBe(zst_st.size);
    expect(s.bytesAfter).toBeLessThan(s.bytesBefore);
    // active sessions are never touched; no lock or temp is left
    expect(fs.readdirSync(path.join(home, 'sessions/2026/11/25')).sort()).toEqual(sessionsBefore);
    expect(exists(path.join(home, '.tmp/rollout-compression.lock'))).toBe(false);
    expect(tempsIn(home)).toEqual([]);
    // the next pass finds nothing to do
    const again = await pass(home);
    expect(again.candidates).toBe(0);
  });

  it('leaves files that are not cold, empty, in use or cut mid-line, and says why', async () => {
    const { home, stems } = makeStore(6, 4000);
    const [cold, recent, empty, cut, inUse, withZst] = stems as [string, string, string, string, string, string];
    setAge(`${recent}.jsonl`, 2 * DAY);
    fs.writeFileSync(`${empty}.jsonl`, '');
    setAge(`${empty}.jsonl`, 10 * DAY);
    fs.appendFileSync(`${cut}.jsonl`, '{"timestamp":"2026-01-01T10:00:00Z","type":"event_m');
    setAge(`${cut}.jsonl`, 10 * DAY);
    fs.copyFileSync(`${withZst}.jsonl`, `${withZst}.other`);
    fs.writeFileSync(`${withZst}.jsonl.zst`, 'not zstd at all');
    const lock = tryThreadWriterLock(home, inUse.slice(-36))!;
    try {
      const s = await pass(home);
      const reasons = Object.fromEntries(s.files.map((f) => [path.basename(f.path), f.reason ?? f.action]));
      expect(reasons[path.basename(`${cold}.jsonl`)]).toBe('compressed');
      expect(reasons[path.basename(`${empty}.jsonl`)]).toBe('empty');
      expect(reasons[path.basename(`${cut}.jsonl`)]).toBe('incomplete_last_line');
      expect(reasons[path.basename(`${inUse}.jsonl`)]).toBe('in_use');
      expect(reasons[path.basename(`${withZst}.jsonl`)]).toBe('corrupt_zst');
      expect(s.notCold).toBe(1);
      expect(s.compressed).toBe(1);
      for (const st of [recent, empty, cut, inUse, withZst]) expect(exists(`${st}.jsonl`)).toBe(true);
      expect(exists(`${inUse}.jsonl.zst`)).toBe(false);
    } finally {
      lock.release();
    }
    // once the writer is gone, the thread is compressed
    const s2 = await pass(home);
    expect(s2.files.find((f) => f.path === `${inUse}.jsonl`)?.action).toBe('compressed');
  });

  it('honours the configured age, a dry run changes nothing, and the time cap stops a run', async () => {
    const { home, stems } = makeStore(5, 20_000, 2 * DAY);
    const dry = await pass(home, { minAgeMs: DAY, dryRun: true });
    expect(dry.compressed).toBe(5);
    expect(dry.files.every((f) => f.action === 'would_compress')).toBe(true);
    for (const s of stems) expect(exists(`${s}.jsonl`) && !exists(`${s}.jsonl.zst`)).toBe(true);
    expect((await pass(home)).notCold).toBe(5); // default 7 days
    const capped = await pass(home, { minAgeMs: DAY, timeCapMs: 0 });
    expect(capped.status).toBe('time_cap');
    expect(capped.compressed).toBe(0);
    const all = await pass(home, { minAgeMs: DAY, concurrency: 3 });
    expect(all.compressed).toBe(5);
  });

  it('discards its copy when a writer appends between the copy and the commit', async () => {
    const { home, stems } = makeStore(1, 50_000);
    const f = `${stems[0]}.jsonl`;
    const s = await pass(home, {
      hooks: {
        beforeLock: () => {
          fs.appendFileSync(f, '{"timestamp":"2026-01-02T00:00:00Z","type":"event_msg","payload":{"type":"late"}}\n');
        },
      },
    });
    expect(s.files[0]).toMatchObject({ action: 'skipped', reason: 'changed' });
    expect(exists(`${f}.zst`)).toBe(false);
    expect(fs.readFileSync(f, 'utf8')).toMatch(/"late"/);
    expect(tempsIn(home)).toEqual([]);
  });

  it('resolves an interrupted transition (both forms present) and reports forms that disagree', async () => {
    const { home, stems } = makeStore(4, 8000);
    const [equal, stale, disagree, recentEqual] = stems as [string, string, string, string];
    // finish a run first so every file has a .zst, then recreate plain copies in the states a crash leaves
    expect((await pass(home)).compressed).toBe(4);
    for (const s of stems) fs.writeFileSync(`${s}.jsonl`, await readThread(s));
    setAge(`${equal}.jsonl`, 10 * DAY);
    fs.appendFileSync(`${stale}.jsonl`, '{"timestamp":"2026-01-03T00:00:00Z","type":"event_msg","payload":{"type":"appended_after_materialize"}}\n');
    fs.writeFileSync(`${disagree}.jsonl`, '{"timestamp":"2026-01-03T00:00:00Z","type":"session_meta","payload":{}}\n');
    const want = new Map(await Promise.all(stems.map(async (s) => [s, await readThread(s)] as const)));
    const s = await pass(home);
    const by = new Map(s.files.map((f) => [f.path, f]));
    expect(by.get(`${equal}.jsonl`)?.action).toBe('finished');
    expect(exists(`${equal}.jsonl`)).toBe(false);
    expect(by.get(`${stale}.jsonl`)?.action).toBe('dropped_stale_zst');
    expect(exists(`${stale}.jsonl.zst`)).toBe(false);
    expect(by.get(`${recentEqual}.jsonl`)?.action).toBe('dropped_stale_zst'); // not cold: the plain copy stays
    expect(by.get(`${disagree}.jsonl`)).toMatchObject({ action: 'skipped', reason: 'disagree' });
    expect(exists(`${disagree}.jsonl`) && exists(`${disagree}.jsonl.zst`)).toBe(true);
    expect(s.errors).toBe(1);
    for (const st of stems) expect((await readThread(st)).equals(want.get(st)!)).toBe(true);
  });
});

describe('store lock .tmp/rollout-compression.lock', () => {
  const lockFile = (home: string) => path.join(home, '.tmp', 'rollout-compression.lock');

  it('a live worker holds it with pid, host and heartbeat; a second one backs off', async () => {
    const { home } = makeStore(3, 200_000);
    let text = '';
    let second: Awaited<ReturnType<typeof runCompressionPass>> | undefined;
    const s = await pass(home, {
      concurrency: 1,
      hooks: {
        beforeLock: async () => {
          if (second) return;
          text = fs.readFileSync(lockFile(home), 'utf8');
          second = await pass(home);
        },
      },
    });
    expect(text).toMatch(new RegExp(`^pid=${process.pid} host=${os.hostname()} started_at=\\d{4}-`));
    expect(second?.status).toBe('locked');
    expect(second?.lockHolder).toContain(`pid ${process.pid}`);
    expect(s.compressed).toBe(3);
  });

  it('takes over stale locks (dead pid, old heartbeat) but not a live holder or a fresh lock of another host', () => {
    const { home } = makeStore(0, 0);
    const tmp = path.join(home, '.tmp');
    fs.mkdirSync(tmp, { recursive: true });
    const attempt = () => JSON.parse(runEntry(['store-lock', tmp, '300000']).stdout) as { ok: boolean; tookOver?: string | null; holder?: string };
    // 0.169 format, dead pid, fresh mtime
    fs.writeFileSync(lockFile(home), 'pid=999999 started_at=SystemTime { tv_sec: 1795616739, tv_nsec: 1 }');
    expect(attempt()).toMatchObject({ ok: true, tookOver: expect.stringContaining('pid 999999') });
    // 0.169 format naming a live process (this test runner) that started before the lock: held
    fs.writeFileSync(lockFile(home), `pid=${process.pid} started_at=SystemTime { tv_sec: ${Math.floor(Date.now() / 1000)}, tv_nsec: 0 }`);
    expect(attempt()).toMatchObject({ ok: false, holder: expect.stringContaining(`pid ${process.pid}`) });
    // …but the same lock with its heartbeat older than the stale limit is taken over
    setAge(lockFile(home), 6 * 60_000);
    expect(attempt().ok).toBe(true);
    // another host, fresh heartbeat: held; stale heartbeat: taken over
    fs.writeFileSync(lockFile(home), 'pid=1 host=some-other-machine started_at_ms=1');
    expect(attempt().ok).toBe(false);
    setAge(lockFile(home), 6 * 60_000);
    expect(attempt().ok).toBe(true);
    // a reused pid (live, but started after the lock was written) does not keep a lock alive
    fs.writeFileSync(lockFile(home), `pid=${process.pid} host=${os.hostname()} started_at_ms=1000`);
    expect(attempt().ok).toBe(true);
  });

  it('two processes racing to take over one stale lock never both win', async () => {
    const { home } = makeStore(0, 0);
    const tmp = path.join(home, '.tmp');
    fs.mkdirSync(tmp, { recursive: true });
    for (let round = 0; round < 5; round++) {
      fs.writeFileSync(lockFile(home), 'pid=999999 started_at=SystemTime { tv_sec: 1, tv_nsec: 1 }');
      const kids = Array.from({ length: 4 }, () => spawnEntry(['store-lock', tmp, '300000', 'hold']));
      // each prints its result and then holds whatever it got until we close its stdin: all four overlap
      const outs = await Promise.all(
        kids.map(
          (k) =>
            new Promise<{ ok: boolean }>((resolve) => {
              let out = '';
              k.stdout!.on('data', (d: Buffer) => {
                out += d.toString();
                if (out.includes('\n')) resolve(JSON.parse(out) as { ok: boolean });
              });
            }),
        ),
      );
      for (const k of kids) k.stdin!.end();
      await Promise.all(kids.map((k) => new Promise((r) => k.on('close', r))));
      expect(outs.filter((o) => o.ok).length).toBe(1);
    }
  });
});
