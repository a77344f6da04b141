#!/usr/bin/env node
// bench/sandbox: `/bin/true` under every mode (read-only and workspace-write on bubblewrap, the
// Landlock fallback forced, danger-full-access) through (a) `dist/codex sandbox`, (b) the core's own
// spawn path (prepareSandboxedSpawn → spawn, as tool calls use it), vs (ref) the real Codex 0.169
// `codex sandbox -- /bin/true`, all in the same run. Runs: $BENCH_SANDBOX_RUNS (default 30).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { CODEX, median, referenceCodex, ROOT, timeRun, writeSection } from './_lib.mjs';

const RUNS = Number(process.env.BENCH_SANDBOX_RUNS ?? 30);
const work = fs.mkdtempSync('/var/tmp/codex-bench-sandbox-');
const ws = path.join(work, 'ws');
fs.mkdirSync(path.join(ws, '.git'), { recursive: true });
const home = path.join(work, 'home');
fs.mkdirSync(home);
const env = { ...process.env, CODEX_HOME: home, CODEX_TS_CACHE_DIR: path.join(work, 'cache') };

const bundle = path.join(ROOT, '.build-tmp', `bench-sandbox-${process.pid}.mjs`);
await build({ entryPoints: [path.join(ROOT, 'sandbox/index.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
const sb = await import(bundle);

function spawnOnce(s) {
  return new Promise((resolve, reject) => {
    const child = spawn(s.file, s.args, { argv0: s.argv0, env: s.env, cwd: ws, stdio: ['ignore', 'ignore', 'inherit', ...s.extraFds] });
    s.dispose();
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
}

/** (b): policy resolved once per session (as the core does), then per call: prepare + spawn + wait. */
async function corePath(mode, route) {
  const policy = sb.resolvePolicy({ cwd: ws, cli: { sandboxMode: mode }, env });
  const times = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const t0 = process.hrtime.bigint();
    const s = sb.prepareSandboxedSpawn({ policy, command: ['/bin/true'], env, execPath: CODEX, route });
    await spawnOnce(s);
    s.release();
    if (i >= 3) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { median: median(times), route: sb.planSandboxedSpawn({ policy, command: ['/bin/true'], env, execPath: CODEX, route }).route.kind };
}

function cli(file, args) {
  for (let i = 0; i < 3; i++) timeRun(file, args, { cwd: ws, env });
  const t = [];
  for (let i = 0; i < RUNS; i++) t.push(timeRun(file, args, { cwd: ws, env }));
  return median(t);
}

const ref = referenceCodex();
const rows = [];
const MODES = [
  ['read-only', 'auto', 'read-only (bubblewrap)'],
  ['workspace-write', 'auto', 'workspace-write (bubblewrap)'],
  ['read-only', 'landlock', 'read-only, Landlock fallback (forced; 0.169: its default route)'],
  ['danger-full-access', 'auto', 'danger-full-access (no sandbox)'],
];
for (const [mode, route, label] of MODES) {
  const a = cli(CODEX, ['sandbox', '-s', mode, '--route', route, '--', '/bin/true']);
  const b = await corePath(mode, route);
  const r = ref ? cli(ref, ['sandbox', '-c', `sandbox_mode="${mode}"`, '--', '/bin/true']) : undefined;
  rows.push({ label, a, b, r });
}
fs.rmSync(bundle, { force: true });
fs.rmSync(work, { recursive: true, force: true });

const f = (x) => (x === undefined ? 'n/a' : `${x.toFixed(1)} ms`);
const ratio = (x, r) => (r === undefined ? 'n/a' : `${(x / r).toFixed(2)}×`);
const lines = [
  `\`/bin/true\` in a sandbox, median of ${RUNS} runs after 3 warm-ups. (a) \`dist/codex sandbox -s MODE -- /bin/true\` (one start of our runtime);`,
  '(b) the core\'s spawn path used by tool calls: `prepareSandboxedSpawn()` → `spawn()` → exit, timed inside a running Node process;',
  `(ref) Codex 0.169 \`codex sandbox -c sandbox_mode="MODE" -- /bin/true\`${ref ? '' : ' — absent, ratios n/a'}.`,
  '',
  '| policy | (a) dist/codex sandbox | (b) core spawn path | reference 0.169 | (a)/ref | (b)/ref |',
  '|---|---|---|---|---|---|',
  ...rows.map((x) => `| ${x.label} | ${f(x.a)} | ${f(x.b.median)} (${x.b.route}) | ${f(x.r)} | ${ratio(x.a, x.r)} | ${ratio(x.b.median, x.r)} |`),
  '',
  'On the bubblewrap route (b) starts bwrap directly (seccomp program passed as fd 3, no second start of our runtime), so it pays one',
  'bwrap start (plus, for workspace-write, the placeholder dirs over a missing .agents/.codex and their leases); 0.169 starts its',
  'helper, probes bwrap, then re-execs the helper inside bwrap. (a) pays the start-up of the Node single executable (see bench/startup).',
  'On the Landlock fallback (b) starts this executable as `codex-linux-sandbox`, i.e. one Node start.',
  'Absolute times move with the load of the (shared, 2-core) machine; the ratios are measured in the same run and are what to compare.',
];
process.stdout.write(lines.join('\n') + '\n');
writeSection('sandbox', lines.join('\n'));
