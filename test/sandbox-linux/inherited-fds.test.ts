// An fd our own parent left open (not close-on-exec) must not reach the sandboxed command (the
// start-up calls the native fcntl only when /proc shows such an fd, so this is checked for real).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODEX_BIN, tempDir } from '../helpers/bin.js';

const root = process.getuid?.() === 0;
const noexecWhy = !root ? 'needs root for a private mount namespace' : spawnSync('unshare', ['-m', 'true']).status !== 0 ? 'needs a working `unshare -m`' : '';

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

  // The native fcntl comes from the koffi addon, which cannot load where the cache and temp dirs are
  // mounted noexec (a hardened machine): the inherited fd must then be closed, not let through (it
  // was, silently). A private mount namespace with a noexec tmpfs needs root and `unshare -m`.
  it.skipIf(noexecWhy !== '')(`where the native addon cannot load (noexec cache and temp dir), the fd is closed instead${noexecWhy ? ` (skipped: ${noexecWhy})` : ''}`, () => {
    const d = tempDir();
    fs.mkdirSync(path.join(d, '.git'));
    const mnt = path.join(d, 'noexec');
    fs.mkdirSync(mnt);
    const outside = path.join(d, 'outside.txt');
    fs.writeFileSync(outside, 'x');
    const inMount = (cmd: string) =>
      spawnSync('unshare', ['-m', '/bin/bash', '-c', `mount -t tmpfs -o noexec none "$1" && exec 30<"$2" && CODEX_TS_CACHE_DIR="$1/cache" TMPDIR="$1" exec "$3" ${cmd}`, 'bash', mnt, outside, CODEX_BIN], {
        cwd: d,
        env: { ...process.env, CODEX_HOME: path.join(d, 'home') },
        encoding: 'utf8',
        timeout: 60_000,
      });
    // The addon really cannot load there.
    const native = inMount('debug native');
    expect(native.status, native.stdout).not.toBe(0);
    expect(native.stdout + native.stderr).toMatch(/koffi|NATIVE_LOAD_FAILED/);
    const r = inMount('sandbox -s read-only -- /bin/ls /proc/self/fd');
    expect(r.status, r.stderr).toBe(0);
    const fds = r.stdout.trim().split('\n');
    expect(fds).toContain('1');
    expect(fds).not.toContain('30');
    // workspace-write needs the addon for its placeholder leases: refused as a set-up failure (125,
    // never a status the command could have), with nothing left in the workspace.
    const ww = inMount('sandbox -s workspace-write -- /bin/true');
    expect([ww.status, ww.stderr]).toEqual([125, expect.stringMatching(/placeholders .*koffi.*\[SANDBOX_SETUP_FAILED\]\n$/)]);
    expect(fs.existsSync(path.join(d, '.codex')) || fs.existsSync(path.join(d, '.agents'))).toBe(false);
  });
});
