// A small process entry for the compression tests (bundled with esbuild by helpers.ts): the worker,
// a writer that resumes (materializes) and appends like the recorder, and lock holders — each a real
// process so that flocks, SIGKILL and concurrency are real.
//   node entry.mjs pass '<json CompressPassOptions + {killAt?, loopUntil?}>'
//   node entry.mjs writer '<json WriterOptions>'
//   node entry.mjs hold-thread-lock HOME ID        (prints "held", holds until stdin closes)
//   node entry.mjs store-lock TMPDIR STALE_MS [hold] (prints the acquire result; with `hold`, keeps it until stdin closes)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCompressionPass, type CompressPassOptions, type PassHooks } from '../../rollout/compress/index.js';
import { acquireStoreLock } from '../../rollout/store/index.js';
import { tryThreadWriterLock } from '../../rollout/locks.js';
import { materializeLocked } from '../../rollout/materialize.js';

type PassArgs = CompressPassOptions & { killAt?: keyof PassHooks; killAfterFiles?: number; loopUntil?: string; waitForGo?: boolean };

export interface WriterOptions {
  home: string;
  writer: number;
  /** Archived rollout paths without extension (`…/rollout-…-<uuid>`), to pick from at random. */
  stems: string[];
  /** Stop after this many materializations (resumes of a compressed thread)… */
  cycles: number;
  /** …or this many operations, or when this file exists. */
  maxOps: number;
  stopFile?: string;
  /** Where each written line is reported (after its fsync): one `{"stem","seq"}` per line. */
  report: string;
  seed: number;
  /** Print "ready" and wait for a byte on stdin before the first operation (for timed kills). */
  waitForGo?: boolean;
  /** Pause up to this many ms between operations (a session does not write continuously). */
  paceMs?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pass(a: PassArgs): Promise<void> {
  if (a.waitForGo) {
    process.stdout.write('ready\n');
    await new Promise<void>((r) => process.stdin.once('data', () => r()));
  }
  const hooks: PassHooks = {};
  if (a.killAt) {
    let seen = 0;
    hooks[a.killAt] = () => {
      if (++seen > (a.killAfterFiles ?? 0)) process.kill(process.pid, 'SIGKILL');
    };
  }
  for (;;) {
    const s = await runCompressionPass({ ...a, hooks });
    process.stdout.write(JSON.stringify({ status: s.status, compressed: s.compressed, resolved: s.resolved, skipped: s.skipped, errors: s.errors, temps: s.tempsRemoved, files: s.files }) + '\n');
    if (!a.loopUntil || fs.existsSync(a.loopUntil)) return;
    await sleep(1);
  }
}

async function writer(o: WriterOptions): Promise<void> {
  const rand = rng(o.seed);
  const report = fs.openSync(o.report, 'a');
  if (o.waitForGo) {
    process.stdout.write('ready\n');
    await new Promise<void>((r) => process.stdin.once('data', () => r()));
  }
  let seq = 0;
  let cycles = 0;
  let busy = 0;
  for (let op = 0; op < o.maxOps && cycles < o.cycles; op++) {
    if (o.stopFile && fs.existsSync(o.stopFile)) break;
    const stem = o.stems[Math.floor(rand() * o.stems.length)]!;
    const id = stem.slice(-36);
    const lock = tryThreadWriterLock(o.home, id);
    if (!lock) {
      busy++;
      await sleep(1);
      continue;
    }
    try {
      const m = await materializeLocked(`${stem}.jsonl`);
      if (m.materialized) cycles++;
      const fd = fs.openSync(m.path, fs.constants.O_WRONLY | fs.constants.O_APPEND);
      try {
        const n = 1 + Math.floor(rand() * 3);
        const written: string[] = [];
        for (let i = 0; i < n; i++) {
          const rec = { timestamp: new Date().toISOString(), type: 'event_msg', payload: { type: 'stress', writer: o.writer, seq, pad: 'x'.repeat(Math.floor(rand() * 200)) } };
          fs.writeSync(fd, JSON.stringify(rec) + '\n'); // one write per line on an O_APPEND fd
          written.push(JSON.stringify({ stem: path.basename(stem), seq }));
          seq++;
        }
        fs.fsyncSync(fd);
        fs.writeSync(report, written.join('\n') + '\n');
      } finally {
        fs.closeSync(fd);
      }
    } finally {
      lock.release();
    }
    if (o.paceMs) await sleep(rand() * o.paceMs);
  }
  fs.closeSync(report);
  process.stdout.write(JSON.stringify({ writer: o.writer, cycles, lines: seq, busy }) + '\n');
}

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  switch (cmd) {
    case 'pass':
      return pass(JSON.parse(rest[0]!) as PassArgs);
    case 'writer':
      return writer(JSON.parse(rest[0]!) as WriterOptions);
    case 'hold-thread-lock': {
      const lock = tryThreadWriterLock(rest[0]!, rest[1]!);
      process.stdout.write(lock ? 'held\n' : 'busy\n');
      if (!lock) return;
      await new Promise<void>((r) => {
        process.stdin.on('data', () => {});
        process.stdin.on('end', () => r());
      });
      lock.release();
      return;
    }
    case 'store-lock': {
      const r = acquireStoreLock(rest[0]!, { staleMs: Number(rest[1]), heartbeatMs: 0 });
      process.stdout.write(JSON.stringify(r.ok ? { ok: true, tookOver: r.lock.tookOver ?? null } : r) + '\n');
      if (rest[2] === 'hold') {
        await new Promise<void>((res) => {
          process.stdin.on('data', () => {});
          process.stdin.on('end', () => res());
        });
      }
      if (r.ok) r.lock.release();
      return;
    }
    default:
      throw new Error(`unknown command ${cmd}`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(String((e as Error).stack ?? e) + '\n');
    process.exit(1);
  },
);
