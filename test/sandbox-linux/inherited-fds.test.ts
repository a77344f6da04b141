// An fd our own parent left open (not close-on-exec) must not reach the sandboxed command (the
// start-up calls the native fcntl only when /proc shows such an fd, so this is checked for real).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODEX_BIN, tempDir } from '../helpers/bin.js';

/** The fds `ls` sees in its own /proc/self/fd when codex was started with fd 30 open on a file. */
function fdsSeen(mode: string): string[] {
  const d = tempDir();
  fs.mkdirSync(path.join(d, '.git'));
  const outside = path.join(d, 'outside.txt');
  fs.writeFileSync(outside, 'x');
  // bash opens fd 30 without close-on-exec, as any parent process may leave one.
  const r = spawnSync('/bin/bash', ['-c', 'exec 30<"$1"; exec "$2" sandbox -s "$3" -- /bin/ls /proc/self/fd', 'bash', outside, CODEX_BIN, mode], {
    cwd: d,
    env: { ...process.env, CODEX_HOME: path.join(d, 'home') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split('\n');
}

describe('inherited fds', () => {
  it.each(['read-only', 'workspace-write'])('%s: an fd inherited by codex does not reach the command', (mode) => {
    expect(fdsSeen(mode)).not.toContain('30');
  });

  it('without a sandbox the same fd does reach the command (the check above can fail)', () => {
    expect(fdsSeen('danger-full-access')).toContain('30');
  });
});
