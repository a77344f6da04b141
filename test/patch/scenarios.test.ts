// The 22 upstream apply_patch scenarios through the built binary, with the upstream harness rules:
// fresh copy of input/, the patch as the one argument, the whole tree compared byte for byte.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLY_PATCH_BIN, CODEX_BIN, DIST, SHARED, run, tempDir } from '../helpers/bin.js';
import { readable, snapshot } from './tree.js';

const DIR = path.join(SHARED, 'peer', 'apply-patch-scenarios');
const cases = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((d) => /^\d{3}_/.test(d)).sort() : [];

// Our one deliberate difference: all or nothing. 015 adds a file, then fails; we change nothing,
// so its expected tree is its input/ (empty: the case has no input/).
const ALL_OR_NOTHING = new Set(['015_failure_after_partial_success_leaves_changes']);

const FORMS: [string, (patch: string, cwd: string) => ReturnType<typeof run>][] = [
  ['apply_patch', (p, cwd) => run(APPLY_PATCH_BIN, [p], { cwd })],
  ['applypatch', (p, cwd) => run(path.join(DIST, 'applypatch'), [p], { cwd })],
  ['codex --codex-run-as-apply-patch', (p, cwd) => run(CODEX_BIN, ['--codex-run-as-apply-patch', p], { cwd })],
];

function userWritable(p: string): void {
  const st = fs.statSync(p);
  fs.chmodSync(p, st.mode | 0o200);
  if (st.isDirectory()) for (const e of fs.readdirSync(p)) userWritable(path.join(p, e));
}

describe('apply_patch conformance scenarios', () => {
  it('finds every scenario folder (numbered 001-022; two share 020)', () => {
    expect(cases).toHaveLength(23);
  });

  for (const name of cases) {
    for (const [form, exec] of FORMS) {
      it(`${name} via ${form}`, () => {
        const src = path.join(DIR, name);
        const work = path.join(tempDir('ap-scen-'), 'w');
        fs.mkdirSync(work);
        if (fs.existsSync(path.join(src, 'input'))) fs.cpSync(path.join(src, 'input'), work, { recursive: true });
        // shared/ is laid out without write bits; a checkout's files are writable. We refuse to
        // patch read-only files (see bad-input tests), so give the copy the usual u+w.
        userWritable(work);
        const before = snapshot(work);
        const patch = fs.readFileSync(path.join(src, 'patch.txt'), 'utf8');
        const r = exec(patch, work);
        const expected = ALL_OR_NOTHING.has(name) ? before : snapshot(path.join(src, 'expected'));
        expect(readable(snapshot(work)), `stderr: ${r.stderr}`).toEqual(readable(expected));
        expect(r.signal).toBeNull();
        expect([0, 1]).toContain(r.status);
        if (r.status === 0) expect(r.stdout).toMatch(/^Success\. Updated the following files:\n/);
        else {
          expect(r.stdout).toBe('');
          expect(r.stderr).toMatch(/^apply_patch: .+ \[PATCH_[A-Z0-9_]+\]\n$/);
        }
      });
    }
  }

  it('015 fails and leaves the tree as it was (the reference keeps created.txt)', () => {
    const work = tempDir('ap-015-');
    const patch = fs.readFileSync(path.join(DIR, '015_failure_after_partial_success_leaves_changes', 'patch.txt'), 'utf8');
    const r = run(APPLY_PATCH_BIN, [patch], { cwd: work });
    expect(r.status).toBe(1);
    expect(fs.readdirSync(work)).toEqual([]);
    expect(r.stderr).toContain('missing.txt');
  });
});
