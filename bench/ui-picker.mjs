#!/usr/bin/env node
// bench/ui-picker: `codex resume` on the 50 000-session store of bench/sessions-scale (generate it
// with `node bench/sessions-scale.mjs` first; BENCH_UI_HOME points at another store). Measured in a
// real terminal (tmux, polled every 5 ms): start → the first page on screen, against
// `codex sessions list` in the same run (goal ≤ 1.5×), and a keystroke → its first search hit
// (goal ≤ 300 ms).
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODEX, ROOT, median } from './_lib.mjs';

const HOME = process.env.BENCH_UI_HOME ?? path.join(ROOT, '.bench-data', 'sessions-50000', 'home');
const RUNS = Number(process.env.BENCH_UI_RUNS ?? 7);
if (!fs.existsSync(HOME)) {
  process.stderr.write(`bench/ui-picker: no store at ${HOME} (run node bench/sessions-scale.mjs first)\n`);
  process.exit(2);
}
const sock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ui-bench-')), 'sock');
const tmux = (...a) => execFileSync('tmux', ['-S', sock, ...a], { encoding: 'utf8' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(name, test) {
  const t0 = performance.now();
  for (;;) {
    if (test(tmux('capture-pane', '-p', '-t', name))) return performance.now() - t0;
    if (performance.now() - t0 > 30_000) throw new Error('timed out');
    await sleep(5);
  }
}

// An idle session keeps the server up: killing its last session would stop it, racing the next start.
tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'keep', 'sleep', '3600');

// Both measured the same way: a new tmux window running the command, until its page is on screen.
const list = [];
const listBare = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  spawnSync(CODEX, ['sessions', 'list'], { env: { ...process.env, CODEX_HOME: HOME }, stdio: 'ignore' });
  listBare.push(performance.now() - t0);
  const name = `l${i}`;
  const t1 = performance.now();
  tmux('-f', '/dev/null', 'new-session', '-d', '-s', name, '-x', '120', '-y', '30', 'sh', '-c', `CODEX_HOME='${HOME}' '${CODEX}' sessions list; sleep 60`);
  await until(name, (s) => /^more: /m.test(s));
  list.push(performance.now() - t1);
  tmux('kill-session', '-t', name);
}

const page = [];
const search = [];
for (let i = 0; i < RUNS; i++) {
  const name = `b${i}`;
  const t0 = performance.now();
  tmux('-f', '/dev/null', 'new-session', '-d', '-s', name, '-x', '120', '-y', '30', 'env', `CODEX_HOME=${HOME}`, 'TERM=xterm-256color', CODEX, 'resume');
  await until(name, (s) => /\d+\+? sessions/.test(s));
  page.push(performance.now() - t0);
  tmux('send-keys', '-t', name, '-l', 'q');
  search.push(await until(name, (s) => /search: q /.test(s) && s.split('\n').length > 3 && /^› /m.test(s)));
  tmux('kill-session', '-t', name);
}
tmux('kill-server');
const l = median(list);
const p = median(page);
const s = median(search);
process.stdout.write(
  `codex sessions list (first page):   ${l.toFixed(0)} ms in tmux (${median(listBare).toFixed(0)} ms spawned bare)\n` +
    `codex resume, first page on screen: ${p.toFixed(0)} ms  (${(p / l).toFixed(2)}× the list; goal ≤ 1.5×)\n` +
    `keystroke → first search hit shown: ${s.toFixed(0)} ms  (goal ≤ 300 ms)\n` +
    `median of ${RUNS} runs, store ${HOME}\n`,
);
