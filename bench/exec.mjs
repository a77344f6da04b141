#!/usr/bin/env node
// bench/exec: one `codex exec` session of 20 tool calls (each a sandboxed `exec_command`) then a final
// answer, against the scripted loopback Responses server (test/mock, no artificial latency), ours vs
// the real Codex 0.169 against the same server, interleaved in one run. Wall time and peak RSS
// (largest process of the tree, GNU time %M).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { CODEX, median, referenceCodex, ROOT, writeSection } from './_lib.mjs';

const RUNS = Number(process.env.BENCH_EXEC_RUNS ?? 3);
const CALLS = Number(process.env.BENCH_EXEC_CALLS ?? 20);
const DATA = path.join(ROOT, '.bench-data', 'exec');
const TIME = '/usr/bin/time';

async function startMock(plan) {
  const bundle = path.join(DATA, 'mock-server.mjs');
  await build({ entryPoints: [path.join(ROOT, 'test/mock/run.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const planFile = path.join(DATA, 'plan.json');
  fs.writeFileSync(planFile, JSON.stringify(plan));
  const child = spawn(process.execPath, [bundle, '--plan', planFile, '--log', path.join(DATA, 'requests.jsonl')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`mock exited ${c}`)));
  });
  return { child, ...JSON.parse(line) };
}

// CODEX_HOME outside /tmp: Codex 0.169 refuses to create its sandbox helper links under /tmp.
function setup(name, url) {
  const dir = path.join(DATA, name);
  fs.rmSync(dir, { recursive: true, force: true });
  const home = path.join(dir, 'home');
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(ws, { recursive: true });
  fs.writeFileSync(
    path.join(home, 'config.toml'),
    `model = "mock-model"\nmodel_provider = "mock"\n[model_providers.mock]\nname = "mock"\nbase_url = "${url}"\nwire_api = "responses"\nenv_key = "MOCK_KEY"\n`,
  );
  return { home, ws };
}

function runOnce(bin, s) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(TIME, ['-f', '%M', bin, 'exec', '--json', '--skip-git-repo-check', '-s', 'workspace-write', 'run the bench steps'], {
    cwd: s.ws,
    env: { ...process.env, CODEX_HOME: s.home, MOCK_KEY: 'bench' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${bin} exited ${r.status}: ${r.stderr.slice(-500)}`);
  const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const done = events.filter((e) => e.type === 'item.completed' && e.item.type === 'command_execution' && e.item.exit_code === 0).length;
  if (done !== CALLS) throw new Error(`${bin}: expected ${CALLS} successful commands, saw ${done}`);
  const rssKb = Number(r.stderr.trim().split('\n').at(-1));
  return { ms, rssMb: rssKb / 1024 };
}

fs.mkdirSync(DATA, { recursive: true });
if (!fs.existsSync(TIME)) {
  process.stderr.write('bench/exec: /usr/bin/time (GNU time) is required for peak RSS\n');
  process.exit(1);
}
const plan = Array.from({ length: CALLS }, (_, i) => ({ kind: 'call', name: 'exec_command', args: { cmd: `echo step-${i} >> steps.txt` } }));
plan.push({ kind: 'message', text: 'bench done' });
const loadBefore = os.loadavg()[0];
const mock = await startMock(plan);
const ref = referenceCodex();
const peers = [{ name: 'codex-ts', bin: CODEX }, ...(ref ? [{ name: 'codex 0.169', bin: ref }] : [])];
const results = Object.fromEntries(peers.map((p) => [p.name, { ms: [], rss: [] }]));
try {
  for (const p of peers) runOnce(p.bin, setup(p.name.replace(/\W/g, '_'), mock.url)); // warm-up (native cache, page cache)
  for (let i = 0; i < RUNS; i++) {
    for (const p of peers) {
      const r = runOnce(p.bin, setup(p.name.replace(/\W/g, '_'), mock.url));
      results[p.name].ms.push(r.ms);
      results[p.name].rss.push(r.rssMb);
    }
  }
} finally {
  mock.child.kill('SIGTERM');
}

const rows = peers.map((p) => ({ name: p.name, ms: median(results[p.name].ms), rss: Math.max(...results[p.name].rss) }));
const ours = rows[0];
const theirs = rows[1];
const lines = [
  `One \`codex exec --json -s workspace-write\` session: ${CALLS} sandboxed \`exec_command\` calls, then a final answer, against the scripted loopback Responses server (no artificial latency, so wall time is the client's overhead). Median of ${RUNS} interleaved runs after a warm-up; peak RSS is the largest process of the tree (GNU time \`%M\`), max over runs.`,
  '',
  '| client | wall (median) | per tool call | peak RSS |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} | ${r.ms.toFixed(0)} ms | ${(r.ms / CALLS).toFixed(1)} ms | ${r.rss.toFixed(1)} MB |`),
  '',
  `Machine load (1-min average) ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end: the 2 cores are shared, so absolute times vary between runs; the ratio is what compares.`,
  '',
  theirs
    ? `Ratio ours / Codex 0.169: wall ${(ours.ms / theirs.ms).toFixed(2)}× (goal ≤ 1.0×), peak RSS ${(ours.rss / theirs.rss).toFixed(2)}× (goal ≤ 0.5×).`
    : 'The real Codex 0.169 was not found: no peer ratio this run.',
  '',
  'Each call is one sandboxed `/bin/bash -lc`: both clients replace the login profile by a per-session shell snapshot (this machine\'s profile runs `pyenv init`, ~300 ms), so the per-call time is mostly bwrap and bash start-up. Our peak RSS is mostly file-backed pages of the single executable (shared with every other codex-ts process); the environment context reads the time zone from /etc/localtime instead of Intl, whose zone data cost ~11 MB.',
];
process.stdout.write(lines.join('\n') + '\n');
writeSection('exec', lines.join('\n'));
