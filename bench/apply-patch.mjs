#!/usr/bin/env node
// apply_patch on big files: ours (dist/apply_patch, patch on stdin) vs the real Codex 0.169 (patch
// on stdin too: the patch is far over the 128 KiB single-argument limit), median of N runs, each
// on a fresh copy of the file. Peak RSS comes from /usr/bin/time. Sizes: 200k lines / 2000 hunks,
// 1M lines / 5000 hunks, and the 200k case with CRLF line endings.
// Env: APPLY_PATCH_BENCH_RUNS (default 5).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CA_SET, NO_CA_ENV, ROOT, median, referenceCodex, writeSection } from './_lib.mjs';

const RUNS = Number(process.env.APPLY_PATCH_BENCH_RUNS ?? 5);
const OURS = path.join(ROOT, 'dist', 'apply_patch');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-apply-patch-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

const ref = referenceCodex();
let refBin;
if (ref) {
  refBin = path.join(work, 'ref', 'apply_patch'); // the reference chooses apply_patch by argv0
  fs.mkdirSync(path.dirname(refBin));
  fs.symlinkSync(ref, refBin);
} else {
  process.stderr.write('bench/apply-patch: the real Codex 0.169 is absent; measuring ours only\n');
}

/** A deterministic file of `lines` lines and a patch with `hunks` chunks spread evenly over it. */
function generate(lines, hunks, eol) {
  const text = [];
  for (let i = 0; i < lines; i++) text.push(`line ${i}: the quick brown fox ${(i * 2654435761) % 1000003} jumps`);
  const body = ['*** Begin Patch', '*** Update File: big.txt'];
  const step = Math.floor(lines / hunks);
  for (let h = 0; h < hunks; h++) {
    const at = h * step + Math.floor(step / 2);
    body.push(h % 3 === 0 ? `@@ ${text[at - 3]}` : '@@');
    for (let k = at - 2; k < at; k++) body.push(' ' + text[k]);
    body.push('-' + text[at]);
    body.push(`+line ${at}: patched by hunk ${h}`);
    if (h % 2 === 0) body.push(`+an extra line ${h}`);
    for (let k = at + 1; k < at + 3; k++) body.push(' ' + text[k]);
  }
  body.push('*** End Patch');
  return { file: text.join(eol) + eol, patch: body.join('\n') + '\n' };
}

/** One timed run on a fresh copy: wall ms and peak RSS (KiB). */
function once(bin, dir, file, patchFile) {
  fs.writeFileSync(path.join(dir, 'big.txt'), file);
  const input = fs.openSync(patchFile, 'r');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', bin], { cwd: dir, stdio: [input, 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.closeSync(input);
  const err = r.stderr.toString().trim().split('\n');
  const rssKb = Number(err[err.length - 1]);
  if (r.status !== 0) throw new Error(`${bin} failed (${r.status}): ${err.slice(0, -1).join(' ')}`);
  return { ms, rssKb, out: fs.readFileSync(path.join(dir, 'big.txt')) };
}

const cases = [
  { name: '200k lines, 2000 hunks', lines: 200_000, hunks: 2000, eol: '\n' },
  { name: '1M lines, 5000 hunks', lines: 1_000_000, hunks: 5000, eol: '\n' },
  { name: '200k lines, 2000 hunks, CRLF', lines: 200_000, hunks: 2000, eol: '\r\n' },
];

const rows = [];
for (const c of cases) {
  const { file, patch } = generate(c.lines, c.hunks, c.eol);
  const patchFile = path.join(work, 'patch.txt');
  fs.writeFileSync(patchFile, patch);
  const dOurs = path.join(work, 'ours');
  const dRef = path.join(work, 'refdir');
  fs.mkdirSync(dOurs, { recursive: true });
  fs.mkdirSync(dRef, { recursive: true });
  const ours = [];
  const theirs = [];
  let same = true;
  for (let i = 0; i < RUNS; i++) {
    // Alternate who goes first so neither always runs on a warmer cache.
    const o = () => ours.push(once(OURS, dOurs, file, patchFile));
    const t = () => refBin && theirs.push(once(refBin, dRef, file, patchFile));
    if (i % 2) (t(), o());
    else (o(), t());
    if (refBin && !ours[ours.length - 1].out.equals(theirs[theirs.length - 1].out)) same = false;
  }
  const fileMb = Buffer.byteLength(file) / 2 ** 20;
  const row = {
    name: c.name,
    fileMb,
    ours: median(ours.map((x) => x.ms)),
    oursRss: Math.max(...ours.map((x) => x.rssKb)) / 1024,
    ref: refBin ? median(theirs.map((x) => x.ms)) : undefined,
    refRss: refBin ? Math.max(...theirs.map((x) => x.rssKb)) / 1024 : undefined,
    same,
  };
  rows.push(row);
  const ratio = row.ref ? (row.ours / row.ref).toFixed(2) + 'x' : 'n/a';
  process.stdout.write(
    `${c.name} (${fileMb.toFixed(1)} MiB): ours ${row.ours.toFixed(0)} ms, ${row.oursRss.toFixed(0)} MiB peak RSS | ` +
      `reference ${row.ref?.toFixed(0) ?? '-'} ms, ${row.refRss?.toFixed(0) ?? '-'} MiB | ratio ${ratio}${refBin ? (same ? ', identical output' : ', OUTPUT DIFFERS') : ''}\n`,
  );
}

// Baseline: what the runtime alone costs (ours is a Node SEA; the reference a native binary).
const dEmpty = fs.mkdtempSync(path.join(work, 'e-'));
const startup = [];
const startupRss = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', OURS, '*** Begin Patch\n*** Add File: x\n+x\n*** End Patch\n'], { cwd: dEmpty });
  startup.push(Number(process.hrtime.bigint() - t0) / 1e6);
  startupRss.push(Number(r.stderr.toString().trim().split('\n').pop()) / 1024);
}
const bare = [];
const bareRss = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, '-e', '0'], { env: NO_CA_ENV });
  bare.push(Number(process.hrtime.bigint() - t0) / 1e6);
  bareRss.push(Number(r.stderr.toString().trim().split('\n').pop()) / 1024);
}

const table = [
  '| case | file | ours (stdin) | reference 0.169 (stdin) | ours / reference | peak RSS ours | (RSS − ours on a one-line patch) / file size | peak RSS reference | same bytes |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.fileMb.toFixed(1)} MiB | ${r.ours.toFixed(0)} ms | ${r.ref?.toFixed(0) ?? '-'} ms | ${r.ref ? (r.ours / r.ref).toFixed(2) + '×' : '-'} | ${r.oursRss.toFixed(0)} MiB | ${((r.oursRss - median(startupRss)) / r.fileMb).toFixed(1)}× | ${r.refRss?.toFixed(0) ?? '-'} MiB | ${r.ref ? (r.same ? 'yes' : 'NO') : '-'} |`,
  ),
];
const body = `Median of ${RUNS} runs, each on a fresh copy of the file; both read the patch from stdin. Peak RSS by /usr/bin/time.
Start-up in the same run: a one-line Add through ours takes ${median(startup).toFixed(0)} ms (${median(startupRss).toFixed(0)} MiB RSS); bare \`node -e 0\`${CA_SET ? ' (without NODE_EXTRA_CA_CERTS, which this machine sets: a bare node parses it at every start, ours does not)' : ''} ${median(bare).toFixed(0)} ms (${median(bareRss).toFixed(0)} MiB RSS); load average ${os.loadavg().map((x) => x.toFixed(1)).join(', ')} on ${os.cpus().length} cores.

${table.join('\n')}

Goal: ours ≤ 1.0× the reference on both sizes; memory ≤ 4× the file size (the memory column counts what the file adds to our own one-line-patch footprint, i.e. the runtime's fixed cost is left out).`;
process.stdout.write(`startup: ours ${median(startup).toFixed(0)} ms, bare node ${median(bare).toFixed(0)} ms\n`);
writeSection('apply-patch', body);
