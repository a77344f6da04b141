// Shared helpers of the compression tests: a bundled process entry, store builders, readers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { zstdDecompress } from '../../native/index.js';
import { existsSync } from '../../rollout/fsutil.js';
import { ROOT, tempDir } from '../helpers/bin.js';

let entry: string | undefined;
/** The test entry bundled to one ESM file (built once per test process). */
export function entryBundle(): string {
  if (entry) return entry;
  // Built per test process to a temp name, then renamed over one shared file (atomic for concurrent builds).
  const out = path.join(ROOT, '.build-tmp', 'compress-test-entry.mjs');
  const tmp = `${out}.${process.pid}.tmp.mjs`;
  buildSync({
    entryPoints: [path.join(ROOT, 'test', 'compress', 'entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: tmp,
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  fs.renameSync(tmp, out);
  entry = out;
  return out;
}

export function runEntry(args: string[], timeout = 60_000): { status: number | null; stdout: string; stderr: string; signal: NodeJS.Signals | null } {
  const r = spawnSync(process.execPath, [entryBundle(), ...args], { encoding: 'utf8', timeout });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

export function spawnEntry(args: string[]): ChildProcess {
  return spawn(process.execPath, [entryBundle(), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
}

export const DAY = 86_400_000;

/** A fresh store with `n` archived plain rollouts of roughly `size` bytes, mtime `ageMs` ago. */
export function makeStore(n: number, size: number, ageMs = 10 * DAY, seed = 1): { home: string; stems: string[] } {
  const home = path.join(tempDir('codex-compress-'), 'home');
  const dir = path.join(home, 'archived_sessions');
  fs.mkdirSync(dir, { recursive: true });
  const stems: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = fakeUuid(seed * 1000 + i);
    const stem = path.join(dir, `rollout-2026-01-0${1 + (i % 9)}T10-00-${String(i % 60).padStart(2, '0')}-${id}`);
    fs.writeFileSync(`${stem}.jsonl`, rolloutText(id, size, seed + i));
    setAge(`${stem}.jsonl`, ageMs);
    stems.push(stem);
  }
  return { home, stems };
}

export function fakeUuid(n: number): string {
  const h = n.toString(16).padStart(12, '0').slice(-12);
  return `01a21319-${h.slice(0, 4)}-7${h.slice(4, 7)}-8${h.slice(7, 10)}-${h.padStart(12, 'a')}`;
}

/** Realistic-looking rollout lines (session_meta, then messages and tool output) up to ~size bytes. */
export function rolloutText(id: string, size: number, seed: number): string {
  const lines = [JSON.stringify({ timestamp: '2026-01-01T10:00:00.000Z', type: 'session_meta', payload: { id, cwd: '/home/dev/project', originator: 'codex_exec', cli_version: '0.169.0' } })];
  let total = lines[0]!.length + 1;
  let i = 0;
  const words = ['build', 'test', 'patch', 'error', 'file', 'src/index.ts', 'npm', 'function', 'return', 'const', 'sandbox', 'rollout'];
  while (total < size) {
    const text = Array.from({ length: 20 + ((seed + i) % 40) }, (_, k) => words[(seed * 7 + i * 13 + k * 5) % words.length]).join(' ') + ` #${i}`;
    const line = JSON.stringify({ timestamp: `2026-01-01T10:${String(i % 60).padStart(2, '0')}:00.000Z`, ordinal: i + 1, type: i % 3 ? 'response_item' : 'event_msg', payload: { type: 'message', role: i % 2 ? 'assistant' : 'user', text } });
    lines.push(line);
    total += line.length + 1;
    i++;
  }
  return lines.join('\n') + '\n';
}

export function setAge(file: string, ageMs: number): void {
  const t = new Date(Date.now() - ageMs);
  fs.utimesSync(file, t, t);
}

export const exists = existsSync;

/** What a reader sees: the plain file if present (plain wins), else the decompressed .zst. */
export async function readThread(stem: string): Promise<Buffer> {
  if (exists(`${stem}.jsonl`)) return fs.readFileSync(`${stem}.jsonl`);
  return zstdDecompress(fs.readFileSync(`${stem}.jsonl.zst`));
}

export function zstdCli(file: string): Buffer {
  const r = spawnSync('zstd', ['-d', '-c', '-q', file], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`zstd -d ${file}: ${r.stderr.toString()}`);
  return r.stdout;
}

/** Leftover temps of either the worker (.tmp/) or materialize (beside the rollouts). */
export function tempsIn(home: string): string[] {
  const out: string[] = [];
  for (const d of ['.tmp', 'archived_sessions']) {
    const dir = path.join(home, d);
    if (!exists(dir)) continue;
    for (const n of fs.readdirSync(dir)) if (n.endsWith('.tmp')) out.push(path.join(dir, n));
  }
  return out;
}

export const PASS_DEFAULTS = { minAgeMs: 7 * DAY, timeCapMs: 600_000, heartbeatMs: 60_000, staleMs: 300_000 };

/** Count from env (for CI tuning) with a default. */
export function envCount(name: string, dflt: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : dflt;
}
