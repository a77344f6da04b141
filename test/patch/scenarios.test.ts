// apply_patch conformance cases (test/fixtures/apply-patch-cases.json: the behaviours of the upstream
// end-to-end scenarios, in our own words and data) through the built binary, with the upstream
// harness rules: a fresh folder holding `before`, the patch as the one argument, the whole tree
// compared afterwards. When the real Codex 0.169 is present the same cases run against it too, so
// the case file itself is checked against the reference.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLY_PATCH_BIN, CODEX_BIN, DIST, FIXTURES, REFERENCE_MISSING_REASON, referenceCodex, run, tempDir } from '../helpers/bin.js';
import { readable, snapshot, type Snapshot } from './tree.js';

interface Case {
  id: string;
  checks: string;
  before: Record<string, string>;
  patch: string;
  after: Record<string, string> | null;
  referenceAfter?: Record<string, string>;
  exit: 0 | 1;
  stdout?: string[];
  stderr?: string;
}

const { cases } = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'apply-patch-cases.json'), 'utf8')) as { cases: Case[] };

const FORMS: [string, (patch: string, cwd: string) => ReturnType<typeof run>][] = [
  ['apply_patch', (p, cwd) => run(APPLY_PATCH_BIN, [p], { cwd })],
  ['applypatch', (p, cwd) => run(path.join(DIST, 'applypatch'), [p], { cwd })],
  ['codex --codex-run-as-apply-patch', (p, cwd) => run(CODEX_BIN, ['--codex-run-as-apply-patch', p], { cwd })],
];

/** Lays out a `before`/`after` map in `dir` (keys ending in '/' are folders). */
function layOut(dir: string, tree: Record<string, string>): void {
  for (const [rel, content] of Object.entries(tree)) {
    const p = path.join(dir, rel);
    if (rel.endsWith('/')) fs.mkdirSync(p, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
    }
  }
}

function expectedTree(tree: Record<string, string>): Snapshot {
  const d = tempDir('ap-expect-');
  layOut(d, tree);
  return snapshot(d);
}

describe('apply_patch conformance cases', () => {
  it('covers each upstream scenario once (23 behaviours)', () => {
    expect(cases).toHaveLength(23);
    expect(new Set(cases.map((c) => c.id)).size).toBe(23);
  });

  for (const c of cases) {
    for (const [form, exec] of FORMS) {
      it(`${c.id} via ${form}: ${c.checks}`, () => {
        const work = tempDir('ap-case-');
        layOut(work, c.before);
        const before = snapshot(work);
        const r = exec(c.patch, work);
        const expected = c.after === null ? before : expectedTree(c.after);
        expect(readable(snapshot(work)), `stderr: ${r.stderr}`).toEqual(readable(expected));
        expect(r.signal).toBeNull();
        expect(r.status).toBe(c.exit);
        if (c.exit === 0) {
          expect(r.stdout).toBe(`Success. Updated the following files:\n${(c.stdout ?? []).map((l) => l + '\n').join('')}`);
          expect(r.stderr).toBe('');
        } else {
          expect(r.stdout).toBe('');
          expect(r.stderr).toMatch(/^apply_patch: .+ \[PATCH_[A-Z0-9_]+\]\n$/);
          if (c.stderr) expect(r.stderr).toContain(c.stderr);
        }
      });
    }
  }

  const ref = referenceCodex();
  describe.skipIf(!ref)(`the same cases against the real Codex 0.169${ref ? '' : ` (skipped: ${REFERENCE_MISSING_REASON})`}`, () => {
    for (const c of cases) {
      it(`${c.id}`, () => {
        const bin = path.join(tempDir('ap-ref-bin-'), 'apply_patch');
        fs.symlinkSync(ref!, bin);
        const work = tempDir('ap-ref-');
        layOut(work, c.before);
        const before = snapshot(work);
        const r = run(bin, [c.patch], { cwd: work });
        const after = c.referenceAfter ?? c.after;
        expect(readable(snapshot(work)), `stderr: ${r.stderr}`).toEqual(readable(after === null ? before : expectedTree(after)));
        expect(r.status).toBe(c.exit);
        if (c.exit === 0) expect(r.stdout).toBe(`Success. Updated the following files:\n${(c.stdout ?? []).map((l) => l + '\n').join('')}`);
      });
    }
  });
});
