// Start-up time of the single executable: `apply_patch` with a one-line patch and `codex --version`,
// against bare `node -e 0` and the real Codex 0.169 `apply_patch`, all in the same run (median).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BASELINE_NOTE, CA_SET, CODEX, NO_CA_ENV, ROOT, median, referenceCodex, timeRun, writeSection } from './_lib.mjs';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 30);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-ts-bench-startup-'));
const target = path.join(scratch, 'file.txt');
const patchAdd = (name) => `*** Begin Patch\n*** Update File: ${name}\n@@\n-old\n+new\n*** End Patch\n`;

function prepare() {
  fs.writeFileSync(target, 'old\n');
}

const ref = referenceCodex();
let refLink;
if (ref) {
  refLink = path.join(scratch, 'apply_patch');
  fs.symlinkSync(ref, refLink);
}

const cases = [
  { name: 'node -e 0', file: process.execPath, args: ['-e', '0'], env: NO_CA_ENV },
  ...(CA_SET ? [{ name: 'node -e 0 (NODE_EXTRA_CA_CERTS as set here)', file: process.execPath, args: ['-e', '0'] }] : []),
  { name: 'dist/apply_patch (1-line patch)', file: path.join(ROOT, 'dist', 'apply_patch'), args: [patchAdd('file.txt')], prep: prepare },
  { name: 'dist/codex --version', file: CODEX, args: ['--version'] },
  ...(refLink ? [{ name: 'Codex 0.169 apply_patch (1-line patch)', file: refLink, args: [patchAdd('file.txt')], prep: prepare }] : []),
];

const times = new Map(cases.map((c) => [c.name, []]));
// Interleave the cases so machine noise hits them alike; one warm-up round first.
for (let i = -1; i < RUNS; i++) {
  for (const c of cases) {
    c.prep?.();
    const ms = timeRun(c.file, c.args, { cwd: scratch, ...(c.env ? { env: c.env } : {}) });
    if (i >= 0) times.get(c.name).push(ms);
  }
}
fs.rmSync(scratch, { recursive: true, force: true });

const base = median(times.get('node -e 0'));
const rows = cases.map((c) => {
  const m = median(times.get(c.name));
  return `| ${c.name} | ${m.toFixed(1)} | ${(m / base).toFixed(2)}× |`;
});
const ap = median(times.get('dist/apply_patch (1-line patch)'));
const lines = [
  `Median of ${RUNS} runs each, interleaved, after one warm-up round.${BASELINE_NOTE ? ' ' + BASELINE_NOTE : ''}`,
  '',
  '| command | median ms | vs `node -e 0` |',
  '|---|---|---|',
  ...rows,
  '',
  `Goal: apply_patch start-up ≤ 1.1× bare \`node -e 0\`: **${(ap / base).toFixed(2)}×** against node without NODE_EXTRA_CA_CERTS (${ap / base <= 1.1 ? 'met' : 'NOT met'}; ${(ap - base).toFixed(1)} ms over the bare runtime: reading and compiling the patch code, which the embedded code cache leaves to first use, and the patch's own file work)${CA_SET ? `; **${(ap / median(times.get('node -e 0 (NODE_EXTRA_CA_CERTS as set here)'))).toFixed(2)}×** against node as this machine runs it` : ''}.`,
  refLink ? `vs Codex 0.169 apply_patch: **${(ap / median(times.get('Codex 0.169 apply_patch (1-line patch)'))).toFixed(2)}×**.` : 'Codex 0.169 reference not installed: no reference column.',
];
process.stdout.write(lines.join('\n') + '\n');
writeSection('startup', lines.join('\n'));
