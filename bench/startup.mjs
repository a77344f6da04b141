// Start-up time of the single executable, all in the same interleaved run (median): `apply_patch`
// with a one-line patch and `codex --version` against bare `node -e 0`, and `codex sandbox --
// /bin/true` (read-only, workspace-write) against the real Codex 0.169 doing the same.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BASELINE_NOTE, CA_SET, CODEX, NO_CA_ENV, ROOT, median, referenceCodex, timeRun, writeSection } from './_lib.mjs';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 30);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-ts-bench-startup-'));
const target = path.join(scratch, 'file.txt');
const patchAdd = (name) => `*** Begin Patch\n*** Update File: ${name}\n@@\n-old\n+new\n*** End Patch\n`;
// 0.169 refuses a CODEX_HOME under /tmp for its helper links: the sandbox cases live in /var/tmp.
const sbWork = fs.mkdtempSync('/var/tmp/codex-ts-bench-startup-');
const sbWs = path.join(sbWork, 'ws');
fs.mkdirSync(path.join(sbWs, '.git'), { recursive: true });
fs.mkdirSync(path.join(sbWork, 'home'));
const sbEnv = { ...NO_CA_ENV, CODEX_HOME: path.join(sbWork, 'home') };

function prepare() {
  fs.writeFileSync(target, 'old\n');
}

const ref = referenceCodex();
let refLink;
if (ref) {
  refLink = path.join(scratch, 'apply_patch');
  fs.symlinkSync(ref, refLink);
}

const sandboxCases = (mode) => [
  { name: `dist/codex sandbox -s ${mode} -- /bin/true`, file: CODEX, args: ['sandbox', '-s', mode, '--', '/bin/true'], env: sbEnv, cwd: sbWs },
  ...(ref ? [{ name: `Codex 0.169 sandbox (${mode}) -- /bin/true`, file: ref, args: ['sandbox', '-c', `sandbox_mode="${mode}"`, '--', '/bin/true'], env: sbEnv, cwd: sbWs }] : []),
];

// Two phases, each interleaved: the short starts, then the sandbox runs (bwrap's namespaces and
// 0.169's helper processes leave the machine busy for the next command: measured in the same
// rounds, apply_patch looked up to 1.4× slower than alone).
const quick = [
  { name: 'node -e 0', file: process.execPath, args: ['-e', '0'], env: NO_CA_ENV },
  ...(CA_SET ? [{ name: 'node -e 0 (NODE_EXTRA_CA_CERTS as set here)', file: process.execPath, args: ['-e', '0'] }] : []),
  { name: 'dist/apply_patch (1-line patch)', file: path.join(ROOT, 'dist', 'apply_patch'), args: [patchAdd('file.txt')], prep: prepare },
  { name: 'dist/codex --version', file: CODEX, args: ['--version'] },
  ...(refLink ? [{ name: 'Codex 0.169 apply_patch (1-line patch)', file: refLink, args: [patchAdd('file.txt')], prep: prepare }] : []),
];
const sandbox = [...sandboxCases('read-only'), ...sandboxCases('workspace-write')];
const cases = [...quick, ...sandbox];

const times = new Map(cases.map((c) => [c.name, []]));
// Order reversed every other round so machine noise hits the cases alike; one warm-up round first.
for (const phase of [quick, sandbox]) {
  for (let i = -1; i < RUNS; i++) {
    for (const c of i % 2 ? phase : [...phase].reverse()) {
      c.prep?.();
      const ms = timeRun(c.file, c.args, { cwd: c.cwd ?? scratch, ...(c.env ? { env: c.env } : {}) });
      if (i >= 0) times.get(c.name).push(ms);
    }
  }
}
fs.rmSync(scratch, { recursive: true, force: true });
fs.rmSync(sbWork, { recursive: true, force: true });

const m = (name) => median(times.get(name));
const base = m('node -e 0');
const rows = cases.map((c) => `| ${c.name} | ${m(c.name).toFixed(1)} | ${(m(c.name) / base).toFixed(2)}× |`);
const ap = m('dist/apply_patch (1-line patch)');
const sbLine = (mode) => {
  const ours = m(`dist/codex sandbox -s ${mode} -- /bin/true`);
  if (!ref) return `\`codex sandbox -s ${mode}\`: ${ours.toFixed(1)} ms (Codex 0.169 not installed: no ratio).`;
  const r = ours / m(`Codex 0.169 sandbox (${mode}) -- /bin/true`);
  return `Goal: \`codex sandbox -s ${mode} -- /bin/true\` ≤ 1.0× Codex 0.169's whole run: **${r.toFixed(2)}×** (${r <= 1.0 ? 'met' : 'NOT met'}).`;
};
const load = os.loadavg().map((x) => x.toFixed(1)).join(', ');
const lines = [
  `Median of ${RUNS} runs each, after one warm-up round, interleaved (order reversed every other round) in two phases: the short starts, then the sandbox runs; load average at the end ${load} on ${os.cpus().length} shared cores.${BASELINE_NOTE ? ' ' + BASELINE_NOTE : ''}`,
  '',
  '| command | median ms | vs `node -e 0` |',
  '|---|---|---|',
  ...rows,
  '',
  `Goal: apply_patch start-up ≤ 1.1× bare \`node -e 0\`: **${(ap / base).toFixed(2)}×** against node without NODE_EXTRA_CA_CERTS (${ap / base <= 1.1 ? 'met' : 'NOT met'}; ${(ap - base).toFixed(1)} ms over the bare runtime)${CA_SET ? `; **${(ap / m('node -e 0 (NODE_EXTRA_CA_CERTS as set here)')).toFixed(2)}×** against node as this machine runs it` : ''}.`,
  refLink ? `vs Codex 0.169 apply_patch: **${(ap / m('Codex 0.169 apply_patch (1-line patch)')).toFixed(2)}×**.` : 'Codex 0.169 reference not installed: no reference column.',
  sbLine('read-only'),
  sbLine('workspace-write'),
  '',
  'How: the executable runs its bundles from V8 code caches made by the build after running apply_patch, `codex sandbox` and `--version` once',
  '(scripts/code-cache.mjs), so the functions they call are not compiled at start; apply_patch has a bundle of its own (~73 KB), writes through',
  'fd 1 without creating node\'s stream objects, and `codex sandbox` no longer loads the agent (model client, TLS). What `codex sandbox` still',
  'pays over a bare node start: loading node\'s child_process/net/stream modules for the spawn (their functions compile at first use: node\'s own',
  'code cache holds only their top level), reading config and resolving the policy, finding bwrap (a stat of every folder above each candidate,',
  'done for each of three plans), and deserializing its ~360 KB code cache. 0.169 is a native binary: its whole run is one exec of itself inside bwrap.',
];
process.stdout.write(lines.join('\n') + '\n');
writeSection('startup', lines.join('\n'));
