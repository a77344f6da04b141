#!/usr/bin/env node
// bench/interrupt: how fast Ctrl-C ends a `codex exec` turn (the timing the exec tests used to
// assert; they now check only that it ends and what it leaves). Two cases against the scripted
// loopback Responses server (test/mock): SIGINT while a sandboxed command runs (an hour-long sleep:
// the process group must be killed) and while the model has not answered yet (a 30 s delay).
// Time from the signal to the exit of `codex exec` (status 130), median of BENCH_INTERRUPT_RUNS (5).
// Goal: under 1 s in both cases.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { CODEX, median, ROOT, writeSection } from './_lib.mjs';

const RUNS = Number(process.env.BENCH_INTERRUPT_RUNS ?? 5);
const DATA = path.join(ROOT, '.bench-data', 'interrupt');
const GOAL_MS = 1000;

async function startMock(plan) {
  const bundle = path.join(DATA, 'mock-server.mjs');
  await build({ entryPoints: [path.join(ROOT, 'test/mock/run.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const planFile = path.join(DATA, 'plan.json');
  fs.writeFileSync(planFile, JSON.stringify(plan));
  const child = spawn(process.execPath, [bundle, '--plan', planFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`mock exited ${c}`)));
  });
  return { child, ...JSON.parse(line) };
}

function setup(url) {
  const dir = path.join(DATA, 'run');
  fs.rmSync(dir, { recursive: true, force: true });
  const home = path.join(dir, 'home');
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(ws, { recursive: true });
  fs.writeFileSync(path.join(home, 'config.toml'), `model = "mock-model"\nmodel_provider = "mock"\n[model_providers.mock]\nname = "mock"\nbase_url = "${url}"\nwire_api = "responses"\nenv_key = "MOCK_KEY"\n`);
  return { home, ws };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Start `codex exec PROMPT`, wait until `ready()` says the case is set, SIGINT, time the exit. */
async function once(url, prompt, ready) {
  const s = setup(url);
  const child = spawn(CODEX, ['exec', '--json', '--skip-git-repo-check', '-s', 'workspace-write', prompt], {
    cwd: s.ws,
    env: { ...process.env, CODEX_HOME: s.home, MOCK_KEY: 'bench' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const t0 = Date.now();
  while (!(await ready(s))) {
    if (Date.now() - t0 > 30_000) throw new Error(`${prompt}: never got ready`);
    await sleep(20);
  }
  const start = process.hrtime.bigint();
  child.kill('SIGINT');
  const code = await exited;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (code !== 130) throw new Error(`${prompt}: exit ${code}, expected 130`);
  return ms;
}

fs.mkdirSync(DATA, { recursive: true });
const mock = await startMock({
  byPrompt: [
    { match: 'run-sleep', steps: [{ kind: 'call', name: 'exec_command', args: { cmd: 'echo $$ > pid.txt; exec sleep 3600', timeout_ms: 3_600_000 } }] },
    { match: 'wait-model', steps: [{ kind: 'message', text: 'too late', delayMs: 30_000 }] },
  ],
});
const cases = [
  { name: 'a sandboxed command is running', prompt: 'run-sleep', ready: (s) => fs.existsSync(path.join(s.ws, 'pid.txt')) && fs.readFileSync(path.join(s.ws, 'pid.txt'), 'utf8').trim() !== '' },
  { name: 'waiting for the model', prompt: 'wait-model', ready: null },
];
const rows = [];
try {
  for (const c of cases) {
    const ms = [];
    for (let i = 0; i < RUNS; i++) {
      // the model case: give the request a second to be in flight
      const since = Date.now();
      ms.push(await once(mock.url, c.prompt, c.ready ?? (() => Date.now() - since > 1000)));
    }
    rows.push({ name: c.name, ms: median(ms), max: Math.max(...ms) });
  }
} finally {
  mock.child.kill('SIGTERM');
}
const lines = [
  `Ctrl-C (SIGINT) to the exit of \`codex exec\` (status 130), median and max of ${RUNS} runs, against the scripted loopback server. Goal: under ${GOAL_MS} ms.`,
  '',
  '| Ctrl-C while | median | max | goal |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} | ${r.ms.toFixed(0)} ms | ${r.max.toFixed(0)} ms | ${r.max < GOAL_MS ? 'met' : 'MISSED'} |`),
];
process.stdout.write(lines.join('\n') + '\n');
writeSection('interrupt', lines.join('\n'));
process.exit(rows.every((r) => r.max < GOAL_MS) ? 0 : 1);
