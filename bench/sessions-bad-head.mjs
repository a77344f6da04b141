#!/usr/bin/env node
// bench/sessions-bad-head: `codex sessions list --all` over a store of 200 ordinary rollouts, then
// the same store plus one 200 MB `.jsonl` without a newline (issue 17, point 4: listing reads a
// bounded head per file). Wall time (median) and peak RSS (/usr/bin/time -f %M) of both; the goal
// is "the usual time and memory": both ratios close to 1.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODEX, median, ROOT, writeSection } from './_lib.mjs';

const RUNS = Number(process.env.BENCH_BAD_HEAD_RUNS ?? 7);
const HUGE_MB = Number(process.env.BENCH_BAD_HEAD_MB ?? 200);
const DATA = path.join(ROOT, '.bench-data', 'sessions-bad-head');
const HOME = path.join(DATA, 'home');
const uuid = (n) => `01a21319-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

function generate() {
  fs.rmSync(DATA, { recursive: true, force: true });
  const day = path.join(HOME, 'sessions', '2026', '01', '02');
  fs.mkdirSync(day, { recursive: true });
  for (let i = 0; i < 200; i++) {
    const id = uuid(i + 1);
    const ts = `2026-01-02T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`;
    const lines = [
      { timestamp: ts, type: 'session_meta', payload: { id, timestamp: ts, cwd: '/home/dev/p', originator: 'codex_exec', cli_version: '0.169.0', source: 'exec', model_provider: 'openai' } },
      { timestamp: ts, type: 'event_msg', payload: { type: 'user_message', message: `task ${i}: make the tests pass` } },
      ...Array.from({ length: 40 }, (_, k) => ({ timestamp: ts, type: 'response_item', payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `step ${k} `.repeat(20) }] } })),
    ];
    const name = `rollout-${ts.slice(0, 19).replace(/:/g, '-')}-${id}.jsonl`;
    fs.writeFileSync(path.join(day, name), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  }
}

function measure() {
  const times = [];
  const rss = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', CODEX, 'sessions', 'list', '--all', '--limit', '25', '--json'], { env: { ...process.env, CODEX_HOME: HOME }, encoding: 'utf8', maxBuffer: 1 << 26 });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`codex sessions list exited ${r.status}: ${r.stderr}`);
    rss.push(Number(r.stderr.trim().split('\n').at(-1)) / 1024);
  }
  return { ms: median(times), mb: Math.max(...rss) };
}

generate();
const plain = measure();
// The bad file sorts first (newest name): the listing meets it on its first page.
const huge = path.join(HOME, 'sessions', '2026', '01', '02', `rollout-2026-01-02T23-59-59-${uuid(999999)}.jsonl`);
const fd = fs.openSync(huge, 'w');
const chunk = Buffer.alloc(1 << 20, 'x');
for (let i = 0; i < HUGE_MB; i++) fs.writeSync(fd, chunk);
fs.closeSync(fd);
const bad = measure();
fs.rmSync(DATA, { recursive: true, force: true });

const row = (name, m) => `| ${name} | ${m.ms.toFixed(0)} ms | ${m.mb.toFixed(0)} MB |`;
const body = [
  `\`codex sessions list --all --limit 25 --json\`, median of ${RUNS} runs, peak RSS over them.`,
  '',
  '| store | time | peak RSS |',
  '|---|---|---|',
  row('200 rollouts', plain),
  row(`the same + one ${HUGE_MB} MB .jsonl without a newline`, bad),
  '',
  `Ratios: time ${(bad.ms / plain.ms).toFixed(2)}×, memory ${(bad.mb / plain.mb).toFixed(2)}× (goal: about 1×; before issue 17 it was 2.2 s and 630 MB).`,
].join('\n');
process.stdout.write(body + '\n');
writeSection('sessions-bad-head', body);
