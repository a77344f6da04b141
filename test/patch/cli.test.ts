// apply_patch through the built binary: bad input never crashes or half-writes, writes keep what
// users care about (mode, BOM, line endings, symlinks), errors name the file and the missing line.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APPLY_PATCH_BIN, binsForOthers, run, tempDir } from '../helpers/bin.js';
import { snapshot } from './tree.js';

function dir(files: Record<string, string | Buffer> = {}): string {
  const d = tempDir('ap-cli-');
  for (const [p, c] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, p)), { recursive: true });
    fs.writeFileSync(path.join(d, p), c);
  }
  return d;
}

const ap = (cwd: string, args: string[], input?: string | Buffer) => run(APPLY_PATCH_BIN, args, { cwd, input });
const wrap = (body: string) => `*** Begin Patch\n${body}\n*** End Patch\n`;

function expectOneError(r: ReturnType<typeof run>, code: string | RegExp, status = 1) {
  expect(r.signal).toBeNull();
  expect(r.status).toBe(status);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^apply_patch: .+ \[[A-Z0-9_]+\]\n$/);
  expect(r.stderr).toMatch(typeof code === 'string' ? new RegExp(`\\[${code}\\]\\n$`) : code);
}

describe('apply_patch: bad input', () => {
  it('arbitrary bytes on stdin or as the argument: one error line, exit 1, nothing written', () => {
    const d = dir({ 'keep.txt': 'keep\n' });
    const before = snapshot(d);
    const samples = fc.sample(fc.uint8Array({ maxLength: 300 }), { seed: 4, numRuns: 12 });
    for (const bytes of samples) {
      const r = ap(d, [], Buffer.from(bytes));
      expect([1, 2]).toContain(r.status);
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.stderr).toMatch(/^apply_patch: .* \[[A-Z0-9_]+\]\n$/);
    }
    for (const s of fc.sample(fc.string({ maxLength: 200 }), { seed: 5, numRuns: 8 })) {
      if (s.includes('\0')) continue;
      const r = ap(d, [s]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^apply_patch: .* \[PATCH_(PARSE|EMPTY)\]\n$/);
    }
    expect(snapshot(d)).toEqual(before);
  });

  it('a patch that is not UTF-8 on stdin is refused', () => {
    const d = dir();
    const r = ap(d, [], Buffer.concat([Buffer.from('*** Begin Patch\n*** Add File: x\n+'), Buffer.from([0xff, 0xfe]), Buffer.from('\n*** End Patch\n')]));
    expectOneError(r, 'PATCH_NOT_UTF8');
    expect(fs.readdirSync(d)).toEqual([]);
  });

  it('a truncated patch changes nothing, wherever it is cut', () => {
    const d = dir({ 'a.txt': 'one\ntwo\nthree\n', 'b.txt': 'bee\n' });
    const before = snapshot(d);
    const full = wrap('*** Add File: new.txt\n+hello\n*** Update File: a.txt\n@@\n one\n-two\n+TWO\n*** Delete File: b.txt');
    for (let cut = 1; cut < full.length - '*** End Patch\n'.length; cut += 23) {
      const r = ap(d, [full.slice(0, cut)]);
      expectOneError(r, 'PATCH_PARSE');
      expect(snapshot(d)).toEqual(before);
    }
  });

  it('a huge single line (8 MiB) is added through stdin, and a missing one is reported briefly', () => {
    const d = dir();
    const line = 'x'.repeat(8 * 1024 * 1024);
    const r = ap(d, [], wrap(`*** Add File: big.txt\n+${line}`));
    expect(r.status).toBe(0);
    expect(fs.statSync(path.join(d, 'big.txt')).size).toBe(line.length + 1);
    const r2 = ap(d, [], wrap(`*** Update File: big.txt\n@@\n-${line}y\n+z`));
    expectOneError(r2, 'PATCH_CONTEXT_NOT_FOUND');
    expect(r2.stderr.length).toBeLessThan(2000);
    expect(r2.stderr).toContain('big.txt');
  });

  it('paths escaping through .. or absolute are applied as written and always reported', () => {
    const outer = tempDir('ap-outer-');
    const d = path.join(outer, 'work');
    fs.mkdirSync(d);
    const abs = path.join(outer, 'abs.txt');
    const r = ap(d, [wrap(`*** Add File: ../up.txt\n+up\n*** Add File: ${abs}\n+abs`)]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`Success. Updated the following files:\nA ../up.txt\nA ${abs}\n`);
    expect(fs.readFileSync(path.join(outer, 'up.txt'), 'utf8')).toBe('up\n');
    expect(fs.readFileSync(abs, 'utf8')).toBe('abs\n');
    expect(r.stderr).toContain('../up.txt is outside the working directory');
    expect(r.stderr).toContain(`${abs} is outside the working directory`);
  });

  it('a directory as target: update, add and delete fail naming it, nothing changes', () => {
    const d = dir({ 'dir/inner.txt': 'in\n', 'a.txt': 'a\n' });
    const before = snapshot(d);
    for (const body of ['*** Update File: dir\n@@\n-a\n+b', '*** Add File: dir\n+x', '*** Delete File: dir']) {
      const r = ap(d, [wrap(`*** Add File: first.txt\n+1\n${body}`)]);
      expectOneError(r, 'PATCH_IS_DIRECTORY');
      expect(r.stderr).toContain('dir');
      expect(snapshot(d)).toEqual(before);
    }
  });

  it('a file that is not UTF-8 is refused for update (untouched) but can be deleted', () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]);
    const d = dir({ 'l1.txt': latin1 });
    const r = ap(d, [wrap('*** Update File: l1.txt\n@@\n-café\n+cafe')]);
    expectOneError(r, 'PATCH_NOT_UTF8');
    expect(r.stderr).toContain('l1.txt');
    expect(fs.readFileSync(path.join(d, 'l1.txt'))).toEqual(latin1);
    expect(ap(d, [wrap('*** Delete File: l1.txt')]).status).toBe(0);
    expect(fs.existsSync(path.join(d, 'l1.txt'))).toBe(false);
  });

  it('a read-only file is refused and nothing in the patch is applied', () => {
    const d = dir({ 'ro.txt': 'a\n', 'rw.txt': 'b\n' });
    fs.chmodSync(path.join(d, 'ro.txt'), 0o444);
    const before = snapshot(d);
    const r = ap(d, [wrap('*** Update File: rw.txt\n@@\n-b\n+B\n*** Update File: ro.txt\n@@\n-a\n+A')]);
    expectOneError(r, 'PATCH_READ_ONLY');
    expect(r.stderr).toContain('ro.txt');
    expect(snapshot(d)).toEqual(before);
  });

  const nobody = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status === 0;
  it.skipIf(!nobody)(`a read-only folder (as an unprivileged user): clear error, temp files and new folders removed${nobody ? '' : ' (skipped: cannot switch to the nobody user (needs root and setpriv))'}`, () => {
    const d = dir({ 'ro/a.txt': 'a\n', 'rw/b.txt': 'b\n' });
    // Let nobody traverse the parent; keep its other bits (it may be /tmp itself: 1777 stays).
    fs.chmodSync(path.dirname(d), (fs.statSync(path.dirname(d)).mode & 0o7777) | 0o055);
    fs.chmodSync(d, 0o777);
    fs.chmodSync(path.join(d, 'rw'), 0o777);
    fs.chmodSync(path.join(d, 'rw', 'b.txt'), 0o666);
    fs.chmodSync(path.join(d, 'ro', 'a.txt'), 0o666);
    fs.chmodSync(path.join(d, 'ro'), 0o555);
    const before = snapshot(d);
    const patch = wrap('*** Add File: newdir/n.txt\n+n\n*** Update File: rw/b.txt\n@@\n-b\n+B\n*** Update File: ro/a.txt\n@@\n-a\n+A');
    const r = run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', binsForOthers().applyPatch, patch], { cwd: d });
    expectOneError(r, 'PATCH_READ_ONLY');
    expect(r.stderr).toContain('ro/a.txt');
    expect(snapshot(d)).toEqual(before);
  });

  it('a symlink as target: the link stays, its target is updated; a dangling link fails', () => {
    const d = dir({ 'real.txt': 'one\ntwo\n' });
    fs.symlinkSync('real.txt', path.join(d, 'link.txt'));
    const r = ap(d, [wrap('*** Update File: link.txt\n@@\n-two\n+TWO')]);
    expect(r.status).toBe(0);
    expect(fs.lstatSync(path.join(d, 'link.txt')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(d, 'real.txt'), 'utf8')).toBe('one\nTWO\n');
    fs.symlinkSync('nowhere.txt', path.join(d, 'dangling.txt'));
    const r2 = ap(d, [wrap('*** Update File: dangling.txt\n@@\n-a\n+b')]);
    expectOneError(r2, 'PATCH_FILE_NOT_FOUND');
    expect(r2.stderr).toContain('dangling.txt');
  });

  it('usage: more than one argument exits 2', () => {
    expectOneError(ap(dir(), ['a', 'b']), 'USAGE', 2);
    expectOneError(ap(dir(), ['--dry-run', 'a', 'b']), 'USAGE', 2);
  });
});

describe('apply_patch: errors that help fix the patch', () => {
  it('a context failure names the file, the first missing line and the nearest lines with numbers', () => {
    const d = dir({ 'src/app.py': 'import os\n\ndef main():\n    print("helo world")\n    return 0\n' });
    const r = ap(d, [wrap('*** Update File: src/app.py\n@@\n def main():\n-    print("hello world")\n+    print("hi")')]);
    expectOneError(r, 'PATCH_CONTEXT_NOT_FOUND');
    expect(r.stderr).toContain('src/app.py');
    expect(r.stderr).toContain('line 4');
    expect(r.stderr).toContain('print(\\"hello world\\")');
    expect(r.stderr).toContain('print(\\"helo world\\")');
  });

  it('a first line that is nowhere shows the nearest candidates', () => {
    const d = dir({ 'f.txt': 'alpha\nbeta\ngamma delta\n' });
    const r = ap(d, [wrap('*** Update File: f.txt\n@@\n-gamma delte\n+x')]);
    expectOneError(r, 'PATCH_CONTEXT_NOT_FOUND');
    expect(r.stderr).toMatch(/"gamma delte" not found; nearest: line 3 "gamma delta"/);
  });

  it('a missing file to update is named', () => {
    const r = ap(dir(), [wrap('*** Update File: nope.txt\n@@\n-a\n+b')]);
    expectOneError(r, 'PATCH_FILE_NOT_FOUND');
    expect(r.stderr).toContain('nope.txt');
  });
});

describe('apply_patch: writes', () => {
  it('replace the file through a temp file + rename, keeping mode bits, no temp left behind', () => {
    const d = dir({ 'run.sh': '#!/bin/sh\necho a\n' });
    const f = path.join(d, 'run.sh');
    fs.chmodSync(f, 0o751);
    const ino = fs.statSync(f).ino;
    const r = ap(d, [wrap('*** Update File: run.sh\n@@\n-echo a\n+echo b')]);
    expect(r.status).toBe(0);
    expect(fs.statSync(f).mode & 0o7777).toBe(0o751);
    expect(fs.statSync(f).ino).not.toBe(ino);
    expect(fs.readdirSync(d)).toEqual(['run.sh']);
  });

  it('a move keeps the mode; a move onto itself keeps the file (0.169 deletes it)', () => {
    const d = dir({ 'tool.sh': 'echo a\n' });
    fs.chmodSync(path.join(d, 'tool.sh'), 0o755);
    expect(ap(d, [wrap('*** Update File: tool.sh\n*** Move to: bin/tool.sh\n@@\n-echo a\n+echo b')]).status).toBe(0);
    expect(fs.statSync(path.join(d, 'bin/tool.sh')).mode & 0o777).toBe(0o755);
    const r = ap(d, [wrap('*** Update File: bin/tool.sh\n*** Move to: bin/tool.sh\n@@\n-echo b\n+echo c')]);
    expect(r.stdout).toBe('Success. Updated the following files:\nM bin/tool.sh\n');
    expect(fs.readFileSync(path.join(d, 'bin/tool.sh'), 'utf8')).toBe('echo c\n');
  });

  it('a UTF-8 BOM is kept and the first line can be patched', () => {
    const d = dir({ 'bom.txt': '\ufefffirst\nsecond\n' });
    const r = ap(d, [wrap('*** Update File: bom.txt\n@@\n-first\n+FIRST')]);
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(d, 'bom.txt'))).toEqual(Buffer.from('\ufeffFIRST\nsecond\n'));
  });

  it.each([
    ['CRLF', 'a\r\nb\r\nc\r\n', 'a\r\nB\r\nnew\r\nc\r\n'],
    ['CR', 'a\rb\rc\r', 'a\rB\rnew\rc\r'],
    ['LF without final newline', 'a\nb\nc', 'a\nB\nnew\nc\n'],
    ['mixed (first ending wins for new lines)', 'a\r\nb\nc\r', 'a\r\nB\r\nnew\r\nc\r'],
  ])('line endings per file: %s', (_n, before, after) => {
    const d = dir({ 'f.txt': before });
    expect(ap(d, [wrap('*** Update File: f.txt\n@@\n a\n-b\n+B\n+new')]).status).toBe(0);
    expect(fs.readFileSync(path.join(d, 'f.txt'), 'utf8')).toBe(after);
  });

  it('reads the patch from stdin when there is no argument (beyond the 128 KiB argv limit)', () => {
    const d = dir();
    const lines = Array.from({ length: 20000 }, (_, i) => `+line ${i}`).join('\n');
    const r = ap(d, [], wrap(`*** Add File: many.txt\n${lines}`));
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(d, 'many.txt'), 'utf8').split('\n')).toHaveLength(20001);
  });

  it('--dry-run prints a unified diff and writes nothing', () => {
    const d = dir({ 'a.txt': 'one\ntwo\n', 'gone.txt': 'bye\n', 'old/m.txt': 'm\n' });
    const before = snapshot(d);
    const patch = wrap('*** Update File: a.txt\n@@\n-two\n+TWO\n*** Delete File: gone.txt\n*** Add File: new.txt\n+hi\n*** Update File: old/m.txt\n*** Move to: new/m.txt\n@@\n-m\n+M');
    const r = ap(d, ['--dry-run', patch]);
    expect(r.status).toBe(0);
    expect(snapshot(d)).toEqual(before);
    expect(r.stdout).toContain('--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n');
    expect(r.stdout).toContain('--- a/gone.txt\n+++ /dev/null\n');
    expect(r.stdout).toContain('--- /dev/null\n+++ b/new.txt\n');
    expect(r.stdout).toContain('--- a/old/m.txt\n+++ b/new/m.txt\n');
    const r2 = ap(d, ['--dry-run'], patch);
    expect(r2.stdout).toBe(r.stdout);
  });
});
