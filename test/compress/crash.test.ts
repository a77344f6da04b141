// Crash safety: SIGKILL the worker at random points (and, separately, a writer in the middle of a
// resume/append). Right after each kill every thread still reads back complete (plain wins; a .zst
// beside a plain file may only be equal to it or a prefix of it); after the next run there is no lost
// or duplicated line, every thread is in one form, and no temp is left.
// Counts: CODEX_TS_CRASH_ITERATIONS / CODEX_TS_WRITER_CRASH_ITERATIONS (default 200 each).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zstdDecompress } from '../../native/index.js';
import { runCompressionPass, type PassHooks } from '../../rollout/compress/index.js';
import { tryThreadWriterLock } from '../../rollout/locks.js';
import { materializeLocked } from '../../rollout/materialize.js';
import { tempDir } from '../helpers/bin.js';
import { envCount, exists, makeStore, PASS_DEFAULTS, readThread, spawnEntry, tempsIn } from './helpers.js';

const WORKER_KILLS = envCount('CODEX_TS_CRASH_ITERATIONS', 200);
const WRITER_KILLS = envCount('CODEX_TS_WRITER_CRASH_ITERATIONS', 200);

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** Spawn the entry, wait for "ready", send "go", SIGKILL after `delayMs` (or let it kill itself). */
async function runAndKill(args: string[], delayMs: number | undefined): Promise<{ out: string; signal: NodeJS.Signals | null; code: number | null }> {
  const child = spawnEntry(args);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const closed = new Promise<{ signal: NodeJS.Signals | null; code: number | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));
  await new Promise<void>((resolve) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('ready\n')) resolve();
    });
    void closed.then(() => resolve());
  });
  child.stdin!.write('go\n');
  if (delayMs !== undefined) {
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    child.kill('SIGKILL');
  }
  const r = await closed;
  if (r.code !== null && r.code !== 0) throw new Error(`entry failed: ${err}`);
  return { out, ...r };
}

async function checkReadable(stems: string[], expected: Map<string, Buffer>): Promise<void> {
  for (const stem of stems) {
    const got = await readThread(stem);
    expect(got.equals(expected.get(stem)!), `${path.basename(stem)} readable content`).toBe(true);
    if (exists(`${stem}.jsonl`) && exists(`${stem}.jsonl.zst`)) {
      // the only allowed transition state: the .zst holds the plain content or a prefix of it
      const z = await zstdDecompress(fs.readFileSync(`${stem}.jsonl.zst`));
      expect(got.subarray(0, z.length).equals(z), `${path.basename(stem)}: .zst beside plain is a prefix`).toBe(true);
    }
  }
}

async function cleanRunAndCheck(home: string, stems: string[], expected: Map<string, Buffer>): Promise<void> {
  const s = await runCompressionPass({ home, ...PASS_DEFAULTS, minAgeMs: 0 });
  expect(s.status).toBe('done');
  expect(s.errors, JSON.stringify(s.files.filter((f) => f.error))).toBe(0);
  expect(tempsIn(home)).toEqual([]);
  for (const stem of stems) {
    expect(exists(`${stem}.jsonl`), `${path.basename(stem)} still plain after a clean run`).toBe(false);
    expect((await readThread(stem)).equals(expected.get(stem)!)).toBe(true);
  }
}

/** Resume a thread the way every writer does: thread lock, materialize, append with one write, fsync. */
async function resumeAndAppend(home: string, stem: string, line: string): Promise<void> {
  const lock = tryThreadWriterLock(home, stem.slice(-36));
  if (!lock) throw new Error('thread unexpectedly locked');
  try {
    const m = await materializeLocked(`${stem}.jsonl`);
    const fd = fs.openSync(m.path, 'a');
    try {
      fs.writeSync(fd, line);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    lock.release();
  }
}

describe('crash safety', () => {
  it(`SIGKILL of the worker at ${WORKER_KILLS} random points loses nothing`, async () => {
    const rand = rng(42);
    const { home, stems } = makeStore(4, 60_000);
    const expected = new Map<string, Buffer>();
    for (const s of stems) expected.set(s, fs.readFileSync(`${s}.jsonl`));
    const points: (keyof PassHooks | 'timer')[] = ['afterScan', 'beforeLock', 'beforeCommit', 'afterLink', 'timer', 'timer'];
    const seen = new Map<string, number>();
    for (let i = 0; i < WORKER_KILLS; i++) {
      // a few threads were resumed since the last run: plain again, one line longer
      for (const stem of stems) {
        if (i > 0 && rand() < 0.6) continue;
        const line = `{"timestamp":"2026-02-01T00:00:00Z","type":"event_msg","payload":{"type":"crash_marker","iteration":${i}}}\n`;
        await resumeAndAppend(home, stem, line);
        expected.set(stem, Buffer.concat([expected.get(stem)!, Buffer.from(line)]));
      }
      const point = points[Math.floor(rand() * points.length)]!;
      const args = { home, ...PASS_DEFAULTS, minAgeMs: 0, waitForGo: true, ...(point === 'timer' ? {} : { killAt: point, killAfterFiles: point === 'afterScan' ? 0 : Math.floor(rand() * 2) }) };
      const r = await runAndKill(['pass', JSON.stringify(args)], point === 'timer' ? Math.floor(rand() * 25) : undefined);
      seen.set(`${point}:${r.signal ?? 'exit'}`, (seen.get(`${point}:${r.signal ?? 'exit'}`) ?? 0) + 1);
      await checkReadable(stems, expected);
      await cleanRunAndCheck(home, stems, expected);
    }
    // the kills really happened at every kind of point
    for (const p of points) expect(seen.get(`${p}:SIGKILL`) ?? 0, `kills at ${p}: ${JSON.stringify([...seen])}`).toBeGreaterThan(0);
  }, 900_000);

  it(`SIGKILL of a writer at ${WRITER_KILLS} random points loses no reported line and leaves no temp after the next run`, async () => {
    const rand = rng(7);
    const { home, stems } = makeStore(3, 20_000);
    // start compressed, so writers have to materialize
    await runCompressionPass({ home, ...PASS_DEFAULTS, minAgeMs: 0 });
    const work = tempDir('codex-writer-crash-');
    const base = new Map<string, string>();
    for (const s of stems) base.set(s, (await readThread(s)).toString('utf8'));
    let kills = 0;
    for (let i = 0; i < WRITER_KILLS; i++) {
      const report = path.join(work, `report-${i}.jsonl`);
      const args = { home, writer: i, stems, cycles: 1_000_000, maxOps: 20, report, seed: 1 + i, waitForGo: true };
      const r = await runAndKill(['writer', JSON.stringify(args)], Math.floor(rand() * 12));
      if (r.signal === 'SIGKILL') kills++;
      // before any cleanup, every thread still reads whole (prefix rule) and the next run tidies up
      const s = await runCompressionPass({ home, ...PASS_DEFAULTS, minAgeMs: 0 });
      expect(s.errors, JSON.stringify(s.files.filter((f) => f.error))).toBe(0);
      expect(tempsIn(home)).toEqual([]);
      for (const stem of stems) expect(exists(`${stem}.jsonl`)).toBe(false);
    }
    expect(kills).toBeGreaterThan(WRITER_KILLS / 2);
    // every reported line exactly once and in order; no stress line anywhere twice; base content intact
    for (const stem of stems) {
      const text = (await readThread(stem)).toString('utf8');
      expect(text.startsWith(base.get(stem)!)).toBe(true);
      const lines = text.split('\n').filter((l) => l.includes('"stress"'));
      const keys = lines.map((l) => {
        const p = (JSON.parse(l) as { payload: { writer: number; seq: number } }).payload;
        return `${p.writer}:${p.seq}`;
      });
      expect(new Set(keys).size).toBe(keys.length);
      const reported: string[] = [];
      for (let i = 0; i < WRITER_KILLS; i++) {
        const f = path.join(work, `report-${i}.jsonl`);
        if (!fs.existsSync(f)) continue;
        for (const l of fs.readFileSync(f, 'utf8').split('\n').filter(Boolean)) {
          const r = JSON.parse(l) as { stem: string; seq: number };
          if (r.stem === path.basename(stem)) reported.push(`${i}:${r.seq}`);
        }
      }
      // reported lines appear in the thread in report order (unreported ones, cut by the kill, may sit between)
      const pos = reported.map((k) => keys.indexOf(k));
      expect(pos.every((p) => p >= 0), `${path.basename(stem)}: a reported line is missing`).toBe(true);
      expect([...pos].sort((a, b) => a - b)).toEqual(pos);
    }
  }, 900_000);
});
