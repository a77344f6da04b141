// Stress: 4 writer processes resume (materialize) and append to random archived threads while the
// worker compresses them in a loop. Afterwards every line a writer reported written (after its fsync)
// is in its thread exactly once, in order. Count: CODEX_TS_STRESS_CYCLES (default 500
// compress/resume cycles, i.e. resumes of a thread the worker had compressed), within
// CODEX_TS_STRESS_SECONDS (default 120): the threads grow all along, so each cycle costs more than
// the last, and a slow machine stops at the time limit. How many cycles fit in the time is a
// speed matter for a benchmark, not a pass/fail here; at least one must happen for the checks to mean anything.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCompressionPass } from '../../rollout/compress/index.js';
import { tempDir } from '../helpers/bin.js';
import { envCount, exists, makeStore, PASS_DEFAULTS, readThread, spawnEntry, tempsIn } from './helpers.js';

const CYCLES = envCount('CODEX_TS_STRESS_CYCLES', 500);
const SECONDS = envCount('CODEX_TS_STRESS_SECONDS', 120);
const WRITERS = 4;

function waitExit(child: ReturnType<typeof spawnEntry>): Promise<{ code: number | null; out: string; err: string }> {
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((r) => child.on('close', (code) => r({ code, out, err })));
}

/** Stress lines of a thread's readable content, as (writer, seq) in file order. */
export async function stressLines(stem: string): Promise<{ writer: number; seq: number }[]> {
  const out: { writer: number; seq: number }[] = [];
  for (const line of (await readThread(stem)).toString('utf8').split('\n')) {
    if (!line.includes('"stress"')) continue;
    const p = (JSON.parse(line) as { payload: { writer: number; seq: number } }).payload;
    out.push({ writer: p.writer, seq: p.seq });
  }
  return out;
}

describe('stress: writers and the worker on the same archived threads', () => {
  it(`${WRITERS} writers, up to ${CYCLES} compress/resume cycles or ${SECONDS} s: no line lost, duplicated or reordered`, async () => {
    const { home, stems } = makeStore(8, 3000);
    const work = tempDir('codex-stress-');
    const stop = path.join(work, 'stop');
    const stopWriters = path.join(work, 'stop-writers');
    const deadline = setTimeout(() => fs.writeFileSync(stopWriters, ''), SECONDS * 1000);
    const worker = spawnEntry(['pass', JSON.stringify({ home, ...PASS_DEFAULTS, minAgeMs: 0, loopUntil: stop })]);
    const workerDone = waitExit(worker);
    const writers = Array.from({ length: WRITERS }, (_, w) =>
      waitExit(
        spawnEntry([
          'writer',
          JSON.stringify({ home, writer: w, stems, cycles: Math.ceil(CYCLES / WRITERS), maxOps: 200_000, report: path.join(work, `report-${w}.jsonl`), seed: 1000 + w, paceMs: 4, stopFile: stopWriters }),
        ]),
      ),
    );
    const results = await Promise.all(writers);
    clearTimeout(deadline);
    fs.writeFileSync(stop, '');
    const w = await workerDone;
    expect(w.code, w.err).toBe(0);
    let cycles = 0;
    for (const r of results) {
      expect(r.code, r.err).toBe(0);
      cycles += (JSON.parse(r.out) as { cycles: number }).cycles;
    }
    expect(cycles).toBeGreaterThan(0);
    const passes = w.out.trim().split('\n').map((l) => JSON.parse(l) as { compressed: number; errors: number });
    // Every resume of a compressed thread followed a compression of it.
    expect(passes.reduce((a, p) => a + p.compressed, 0)).toBeGreaterThanOrEqual(cycles);
    expect(passes.reduce((a, p) => a + p.errors, 0)).toBe(0);

    // what each writer reported, per thread, in order
    const expected = new Map<string, number[]>();
    for (let k = 0; k < WRITERS; k++) {
      for (const line of fs.readFileSync(path.join(work, `report-${k}.jsonl`), 'utf8').split('\n').filter(Boolean)) {
        const r = JSON.parse(line) as { stem: string; seq: number };
        const key = `${r.stem}|${k}`;
        expected.set(key, [...(expected.get(key) ?? []), r.seq]);
      }
    }
    let total = 0;
    for (const stem of stems) {
      const got = new Map<string, number[]>();
      for (const l of await stressLines(stem)) {
        const key = `${path.basename(stem)}|${l.writer}`;
        got.set(key, [...(got.get(key) ?? []), l.seq]);
        total++;
      }
      for (let k = 0; k < WRITERS; k++) {
        const key = `${path.basename(stem)}|${k}`;
        expect(got.get(key) ?? [], key).toEqual(expected.get(key) ?? []);
      }
    }
    expect(total).toBe([...expected.values()].reduce((a, v) => a + v.length, 0));

    // a last pass leaves every thread in exactly one form, and no temp behind
    const last = await runCompressionPass({ home, ...PASS_DEFAULTS, minAgeMs: 0 });
    expect(last.errors).toBe(0);
    for (const stem of stems) expect(exists(`${stem}.jsonl`)).toBe(false);
    expect(tempsIn(home)).toEqual([]);
  }, 900_000);
});
