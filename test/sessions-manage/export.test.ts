// `codex sessions export` on the real Codex 0.169 store and on generated sessions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtureHome, tempDir } from '../helpers/bin.js';
import { cx, expectOneLineError } from './helpers.js';
import { appendIndex, unzstd, writeRollout, zstd } from './store.js';

const ZST_ARCHIVED = 'archived_sessions/rollout-2026-11-25T14-25-36-01a21319-0637-7142-b9ea-8749f1dbfa0c.jsonl.zst';
const RESUMED = 'sessions/2026/11/25/rollout-2026-11-25T14-25-37-01a21319-0727-7303-b5cd-f1d687046d00.jsonl';

describe('codex sessions export', () => {
  it('--format jsonl gives the exact original bytes of a .zst and of a plain rollout', () => {
    const home = copyFixtureHome();
    const z = cx(home, ['sessions', 'export', '01a21319-0637-7142-b9ea-8749f1dbfa0c', '--format', 'jsonl']);
    expect(z.status, z.stderr).toBe(0);
    expect(Buffer.from(z.stdout)).toEqual(unzstd(fs.readFileSync(path.join(home, ZST_ARCHIVED))));
    const out = path.join(tempDir(), 'out.jsonl');
    const p = cx(home, ['sessions', 'export', '01a21319-0727-7303-b5cd-f1d687046d00', '--format=jsonl', '-o', out]);
    expect(p.status, p.stderr).toBe(0);
    expect(p.stdout).toBe('');
    expect(fs.readFileSync(out)).toEqual(fs.readFileSync(path.join(home, RESUMED)));
  });

  it('Markdown: user and assistant messages, commands with output; harness text left out', () => {
    const home = copyFixtureHome();
    appendIndex(home, '01a21319-0727-7303-b5cd-f1d687046d00', 'resumed one');
    const r = cx(home, ['sessions', 'export', 'resumed one']);
    expect(r.status, r.stderr).toBe(0);
    const md = r.stdout;
    expect(md).toMatch(/^# Session 01a21319-0727-7303-b5cd-f1d687046d00\n/);
    expect(md).toContain('- **Name:** `resumed one`');
    expect(md).toContain('## User');
    expect(md).toContain('explain the sandbox policy (task 2)');
    expect(md).toContain('please run: echo resumed-after-unarchive');
    expect(md).toContain('## Command');
    expect(md).toContain('```sh\necho resumed-after-unarchive\n```');
    expect(md).toContain('Output (exit 0):\n\n```\nresumed-after-unarchive\n```');
    expect(md).toContain('## Assistant');
    expect(md).toContain('Done: mock reply 291');
    expect(md).not.toContain('<environment_context>');
    expect(md).not.toContain('skills_instructions');
    // The order of the conversation is kept.
    expect(md.indexOf('task 2')).toBeLessThan(md.indexOf('resumed-after-unarchive'));
  });

  it('Markdown of a compressed session reads the .zst', () => {
    const home = copyFixtureHome();
    const r = cx(home, ['sessions', 'export', '01a21319-0637-7142-b9ea-8749f1dbfa0c', '--format', 'md']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('## User');
    expect(r.stdout).toContain('.jsonl.zst`');
  });

  it('patches become diffs and huge outputs are cut with a note', () => {
    const home = path.join(tempDir(), 'home');
    const huge = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n') + '\n';
    const patch = '*** Begin Patch\n*** Update File: hello.txt\n@@\n-hello\n+hello, world\n*** Add File: new.txt\n+fresh\n*** End Patch';
    const w = writeRollout(home, { user: 'make the change', command: 'seq 20000', commandOutput: huge, patch });
    const r = cx(home, ['sessions', 'export', w.id]);
    expect(r.status, r.stderr).toBe(0);
    const md = r.stdout;
    expect(md).toContain('## Patch');
    expect(md).toContain('```diff\n--- a/hello.txt\n+++ b/hello.txt\n@@\n-hello\n+hello, world\n--- /dev/null\n+++ b/new.txt\n+fresh\n```');
    expect(md).toContain('line 0 ');
    expect(md).toContain('line 19999 ');
    expect(md).not.toContain('line 10000 ');
    expect(md).toMatch(/_output truncated: 20001 lines, \d+ bytes; showing the first and last parts \(\d+ bytes left out\)_/);
    expect(md.length).toBeLessThan(40_000);
    // The JSONL export keeps everything.
    const j = cx(home, ['sessions', 'export', w.id, '--format', 'jsonl']);
    expect(j.stdout).toBe(fs.readFileSync(w.path, 'utf8'));
  });

  it('a torn line is reported on stderr and the rest is exported', () => {
    const home = path.join(tempDir(), 'home');
    const w = writeRollout(home, { user: 'first question', command: 'echo hi' });
    const lines = fs.readFileSync(w.path, 'utf8').split('\n');
    lines[3] = lines[3]!.slice(0, 30) + lines[4];
    lines.splice(4, 1);
    fs.writeFileSync(w.path, lines.join('\n'));
    const r = cx(home, ['sessions', 'export', w.id]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('[ROLLOUT_TORN_LINE]');
    expect(r.stdout).toContain('```sh\necho hi\n```');
  });

  it('when both forms exist the plain file wins', () => {
    const home = path.join(tempDir(), 'home');
    const w = writeRollout(home, { archived: true, user: 'plain wins' });
    fs.writeFileSync(`${w.path}.zst`, zstd(Buffer.from(fs.readFileSync(w.path, 'utf8').split('\n').slice(0, 3).join('\n') + '\n')));
    const r = cx(home, ['sessions', 'export', w.id, '--format', 'jsonl']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(fs.readFileSync(w.path, 'utf8'));
  });

  it('a corrupt .zst (the only copy) is a one-line error in both formats', () => {
    const home = path.join(tempDir(), 'home');
    const w = writeRollout(home, { archived: true, compressed: true, user: 'will be cut' });
    const bytes = fs.readFileSync(w.path);
    fs.writeFileSync(w.path, bytes.subarray(0, bytes.length >> 1));
    for (const format of ['jsonl', 'md']) expectOneLineError(cx(home, ['sessions', 'export', w.id, '--format', format]), 'ROLLOUT_ZSTD_CORRUPT', 1);
  });

  it('bad input: unknown id or name, bad format, missing argument, unwritable output', () => {
    const home = copyFixtureHome();
    expectOneLineError(cx(home, ['sessions', 'export', '01a21319-ffff-7fff-bfff-ffffffffffff']), 'SESSION_NOT_FOUND', 1);
    expectOneLineError(cx(home, ['sessions', 'export', 'no-such-name']), 'SESSION_NOT_FOUND', 1);
    expectOneLineError(cx(home, ['sessions', 'export', '01a21319-0637-7142-b9ea-8749f1dbfa0c', '--format', 'html']), 'USAGE', 2);
    expectOneLineError(cx(home, ['sessions', 'export']), 'USAGE', 2);
    expectOneLineError(cx(home, ['sessions', 'export', 'x', '--bogus']), 'UNKNOWN_FLAG', 2);
    expectOneLineError(cx(home, ['sessions', 'export', '01a21319-0637-7142-b9ea-8749f1dbfa0c', '-o', '/nonexistent-dir/x.md']), 'IO_ERROR', 1);
    // Two sessions sharing a name.
    appendIndex(home, '01a21319-0637-7142-b9ea-8749f1dbfa0c', 'twin');
    appendIndex(home, '01a21319-0727-7303-b5cd-f1d687046d00', 'twin');
    expectOneLineError(cx(home, ['sessions', 'export', 'twin']), 'SESSION_AMBIGUOUS', 1);
  });
});
