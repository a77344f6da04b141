// Start-up time of the single executable, all in the same interleaved run (median): `apply_patch`
// with a one-line patch and `codex --version` against bare `node -e 0`, and `codex sandbox --
// /bin/true` (read-only, workspace-write) against the real Codex 0.169 doing the same, also checked
// with hyperfine when it is installed. $BENCH_BEFORE_CODEX: another build (e.g. the previous commit's
// dist/codex) whose `codex sandbox` runs in the same rounds, for before/after.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BASELINE_NOTE, CA_SET, CLOSED_INHERITED_FDS, CODEX, NO_CA_ENV, ROOT, median, referenceCodex, timeRun, writeSection } from './_lib.mjs';

const FDS_NOTE = CLOSED_INHERITED_FDS.length
  ? ` The bench closed fd ${CLOSED_INHERITED_FDS.join(', ')}, inherited from its caller without close-on-exec, before timing (a terminal passes none; with one, \`codex sandbox\` loads koffi to seal it, ~2 ms more).`
  : '';
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

const BEFORE = process.env.BENCH_BEFORE_CODEX;
const sandboxCases = (mode) => [
  { name: `dist/codex sandbox -s ${mode} -- /bin/true`, file: CODEX, args: ['sandbox', '-s', mode, '--', '/bin/true'], env: sbEnv, cwd: sbWs },
  ...(BEFORE ? [{ name: `before: codex sandbox -s ${mode} -- /bin/true`, file: BEFORE, args: ['sandbox', '-s', mode, '--', '/bin/true'], env: sbEnv, cwd: sbWs }] : []),
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

/** hyperfine's medians (ms) for the sandbox cases of one mode, or undefined without hyperfine. */
function hyperfine(mode) {
  if (spawnSync('hyperfine', ['--version']).status !== 0) return undefined;
  const out = path.join(scratch, `hyperfine-${mode}.json`);
  const q = (a) => (/^[\w./=-]+$/.test(a) ? a : `'${a}'`);
  const cmds = sandboxCases(mode).map((c) => [c.file, ...c.args].map(q).join(' '));
  const r = spawnSync('hyperfine', ['-N', '--warmup', '5', '--runs', String(RUNS), '--export-json', out, ...cmds], { cwd: sbWs, env: sbEnv, stdio: 'ignore' });
  if (r.status !== 0) return undefined;
  const res = JSON.parse(fs.readFileSync(out, 'utf8')).results;
  return Object.fromEntries(sandboxCases(mode).map((c, i) => [c.name, res[i].median * 1000]));
}
const hf = { 'read-only': hyperfine('read-only'), 'workspace-write': hyperfine('workspace-write') };
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
  const refName = `Codex 0.169 sandbox (${mode}) -- /bin/true`;
  const h = hf[mode];
  const hText = h ? `; hyperfine (same commands, one after the other): ${h[`dist/codex sandbox -s ${mode} -- /bin/true`].toFixed(1)} ms vs ${h[refName].toFixed(1)} ms, **${(h[`dist/codex sandbox -s ${mode} -- /bin/true`] / h[refName]).toFixed(2)}×**` : '';
  const before = BEFORE ? `; before (${BEFORE}): ${(m(`before: codex sandbox -s ${mode} -- /bin/true`) / m(refName)).toFixed(2)}×` : '';
  return `Goal: \`codex sandbox -s ${mode} -- /bin/true\` ≤ 1.0× Codex 0.169's whole run: **${r.toFixed(2)}×** (${r <= 1.0 ? 'met' : 'NOT met'})${before}${hText}.`;
};
const load = os.loadavg().map((x) => x.toFixed(1)).join(', ');
const lines = [
  `Median of ${RUNS} runs each, after one warm-up round, interleaved (order reversed every other round) in two phases: the short starts, then the sandbox runs; load average at the end ${load} on ${os.cpus().length} shared cores.${BASELINE_NOTE ? ' ' + BASELINE_NOTE : ''}${FDS_NOTE}`,
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
  'How: the executable runs its bundles from V8 code caches made by the build after running apply_patch, `codex sandbox` (both modes) and',
  '`--version` once (scripts/code-cache.mjs), so the functions they call are not compiled at start. apply_patch and `codex sandbox` have',
  'bundles of their own (~80 KB and ~190 KB against ~1.6 MB: no agent, sessions, UI or execa to read and deserialize); apply_patch writes',
  'through fd 1 without creating node\'s stream objects. `codex sandbox` plans once (one bwrap discovery, reused by its warnings and the',
  'spawn), asks the file system about missing paths without building exceptions, and reads bwrap\'s status from an unlinked file (no pipe).',
  'It loads no costly node builtin (test/arch/startup-imports.test.ts): bwrap is started through node\'s process_wrap binding',
  '(native/lean-spawn.ts), as node:child_process would load net and stream (~2 ms), and the placeholder lock names are hashed in a few',
  'lines rather than by node:crypto (~2.5 ms to load).',
  'What it still pays over a bare node start: reading config and resolving the policy, fork() of a Node process (~1 ms; 0.169 is a native',
  'binary that vforks, then runs bwrap twice, a probe and the real run), and for workspace-write the koffi addon (~2 ms: verified against',
  'the embedded copy, then dlopen) for the flock leases on placeholder folders. Running bwrap by exec instead of as a child would save the',
  'fork and the wait, but lose what the wait is for: exit 125 for a bwrap that fails before the command starts (never confused with the',
  'command\'s own status), the removal of placeholder folders, and signals forwarded to the command.',
  'Our start is mostly user CPU (node\'s own start is ~25 ms of it), 0.169\'s run mostly kernel time (namespaces, four execs): on a busy',
  'machine the ratio moves towards 1.',
  'No V8 startup snapshot: the code cache does the part that mattered here (no compiling at start); a snapshot holds one program\'s',
  'heap, where this executable starts one of three bundles by the name it is run under, and node 20 cannot put node:child_process,',
  'node:worker_threads or a native addon into one.',
];
process.stdout.write(lines.join('\n') + '\n');
writeSection('startup', lines.join('\n'));
