// Differential test against the real Codex 0.169 apply_patch: the same success/failure, the same
// stdout report and the same resulting tree on generated cases (fixed seed). Where the reference
// fails after applying part of the patch, ours must fail and leave the tree exactly as it was.
// Ours runs in-process (the patch library with the CLI's error formatting) so 2000 cases stay fast;
// every BINARY_EVERY-th case also goes through the built binary (argument or stdin).
// Cases: APPLY_PATCH_DIFF_CASES (default 2000); seed: APPLY_PATCH_DIFF_SEED.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commitPlan } from '../../patch/commit.js';
import { parsePatch } from '../../patch/parser.js';
import { planPatch } from '../../patch/plan.js';
import { formatSummary } from '../../patch/summary.js';
import { formatError } from '../../protocol/index.js';
import { APPLY_PATCH_BIN, REFERENCE_MISSING_REASON, referenceCodex, tempDir } from '../helpers/bin.js';
import { caseArb, type Case } from './gen.js';
import { readable, snapshot, type Snapshot } from './tree.js';

const COUNT = Number(process.env.APPLY_PATCH_DIFF_CASES ?? 2000);
const SEED = Number(process.env.APPLY_PATCH_DIFF_SEED ?? 169);
const POOL = Number(process.env.APPLY_PATCH_DIFF_POOL ?? 4);
const BINARY_EVERY = Number(process.env.APPLY_PATCH_DIFF_BINARY_EVERY ?? 20);

function inProcess(patch: string, cwd: string): { status: number; stdout: string; stderr: string } {
  try {
    const plan = planPatch(parsePatch(patch), cwd);
    commitPlan(plan);
    return { status: 0, stdout: formatSummary(plan.summary), stderr: '' };
  } catch (e) {
    const { line, exitCode } = formatError('apply_patch', e);
    return { status: exitCode, stdout: '', stderr: line + '\n' };
  }
}

const reference = referenceCodex();

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
  tree: Snapshot;
}

function exec(file: string, args: string[], cwd: string, input: string | undefined): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

function lay(root: string, c: Case): string {
  fs.mkdirSync(root, { recursive: true });
  for (const f of c.files) {
    const p = path.join(root, f.path);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, f.content);
  }
  return root;
}

async function runCase(base: string, i: number, c: Case, refBin: string): Promise<{ ours: Outcome; ref: Outcome; input: Snapshot }> {
  const refDir = lay(path.join(base, `${i}-ref`), c);
  const ourDir = lay(path.join(base, `${i}-ours`), c);
  const input = snapshot(ourDir);
  const viaBinary = i % BINARY_EVERY === 0;
  const [r, o] = await Promise.all([
    exec(refBin, [c.patch], refDir, undefined),
    !viaBinary
      ? Promise.resolve(inProcess(c.patch, ourDir))
      : c.viaStdin
        ? exec(APPLY_PATCH_BIN, [], ourDir, c.patch)
        : exec(APPLY_PATCH_BIN, [c.patch], ourDir, undefined),
  ]);
  const out = { ref: { ...r, tree: snapshot(refDir) }, ours: { ...o, tree: snapshot(ourDir) }, input };
  fs.rmSync(refDir, { recursive: true, force: true });
  fs.rmSync(ourDir, { recursive: true, force: true });
  return out;
}

function mismatch(c: Case, res: { ours: Outcome; ref: Outcome; input: Snapshot }): string | undefined {
  const { ours, ref, input } = res;
  const same = (a: Snapshot, b: Snapshot) => JSON.stringify(a) === JSON.stringify(b);
  if (ours.status === null || ours.status > 1) return `ours exited ${ours.status}`;
  if ((ref.status === 0) !== (ours.status === 0)) return `success differs: reference ${ref.status}, ours ${ours.status}`;
  if (ref.status === 0) {
    if (ours.stdout !== ref.stdout) return 'stdout differs';
    if (!same(ours.tree, ref.tree)) return 'trees differ';
    return undefined;
  }
  if (ours.stdout !== '') return 'ours printed to stdout on failure';
  if (!same(ours.tree, input)) return 'ours changed the tree on failure';
  if (!/^apply_patch: .+ \[[A-Z0-9_]+\]\n$/.test(ours.stderr)) return 'ours did not print one error line';
  void c;
  return undefined;
}

describe.skipIf(!reference)(`apply_patch vs Codex 0.169 (differential)${reference ? '' : ` (skipped: ${REFERENCE_MISSING_REASON})`}`, () => {
  it(`agrees on ${COUNT} generated cases (seed ${SEED})`, { timeout: 30 * 60_000 }, async () => {
    const refBin = path.join(tempDir('ap-ref-bin-'), 'apply_patch');
    fs.symlinkSync(reference!, refBin); // the reference picks the program by argv0, like ours
    const cases = fc.sample(caseArb, { seed: SEED, numRuns: COUNT });
    const base = tempDir('ap-diff-');
    const failures: string[] = [];
    let next = 0;
    let successes = 0;
    let partial = 0;
    const worker = async () => {
      while (failures.length < 5) {
        const i = next++;
        const c = cases[i];
        if (c === undefined) break;
        const res = await runCase(base, i, c, refBin);
        if (res.ref.status === 0) successes++;
        else if (JSON.stringify(res.ref.tree) !== JSON.stringify(res.input)) partial++;
        const why = mismatch(c, res);
        if (why) {
          failures.push(
            `case ${i}: ${why}\n` +
              JSON.stringify(
                {
                  files: c.files,
                  patch: c.patch,
                  viaStdin: c.viaStdin,
                  reference: { status: res.ref.status, stdout: res.ref.stdout, stderr: res.ref.stderr, tree: readable(res.ref.tree) },
                  ours: { status: res.ours.status, stdout: res.ours.stdout, stderr: res.ours.stderr, tree: readable(res.ours.tree) },
                },
                null,
                1,
              ),
          );
        }
      }
    };
    await Promise.all(Array.from({ length: POOL }, worker));
    console.log(`apply_patch differential: ${cases.length} cases, ${successes} applied by the reference, ${partial} partial reference failures`);
    expect(failures, failures.join('\n\n')).toEqual([]);
    // The corpus must exercise both outcomes, or the comparison proves little.
    expect(successes).toBeGreaterThan(cases.length * 0.3);
    expect(cases.length - successes).toBeGreaterThan(cases.length * 0.05);
  });
});
