// The field failures users hit with Codex 0.169 on Linux, each simulated (fake bwrap scripts on
// PATH, an injected /proc/version or Landlock ABI, a worktree fixture), plus the CLI contract.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BWRAP, CODEX_BIN, DIST, SANDBOX_BIN, run, scratchOutsideTmp, tempDir, withoutBundledBwrapWarning } from '../helpers/bin.js';

let root: string;
let ws: string;
let home: string;
beforeAll(() => {
  root = fs.realpathSync(tempDir('codex-sbx-field-'));
  ws = path.join(root, 'ws');
  fs.mkdirSync(ws);
  home = path.join(root, 'codex-home');
  fs.mkdirSync(home);
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/**
 * A dir holding a fake `bwrap` that logs its argv, then runs `body`, named by CODEX_TS_BWRAP (on PATH
 * it would not be trusted: not root's alone). Outside the temp dir: no bwrap is taken from /tmp, not
 * even a named one (any command could have planted it there).
 */
function fakeBwrap(name: string, body: string): { dir: string; log: string } {
  const dir = path.join(scratchOutsideTmp('codex-sbx-fake-bwrap-'), name);
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, 'calls.log');
  fs.writeFileSync(path.join(dir, 'bwrap'), `#!/bin/sh\necho "$*" >> ${log}\n${body}\n`, { mode: 0o755 });
  return { dir, log };
}
const calls = (log: string) => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);

function sbx(args: string[], env: Record<string, string> = {}, cwd = ws) {
  return run(CODEX_BIN, ['sandbox', ...args], {
    cwd,
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: root, CODEX_HOME: home, CODEX_TS_CACHE_DIR: path.join(root, `cache-${Math.random()}`), ...env },
    timeout: 30_000,
  });
}

describe('field failures of the reference, and what we do', () => {
  it('AppArmor userns restriction (uid map denied): the warning names the step and the fix; read-only falls back to Landlock (saying what it cannot enforce), workspace-write is refused (125), never run weaker', () => {
    const fb = fakeBwrap('apparmor', 'echo "bwrap: setting up uid map: Permission denied" >&2; exit 1');
    const r = sbx(['-s', 'workspace-write', '--', '/bin/true'], { CODEX_TS_BWRAP: `${fb.dir}/bwrap` });
    expect(r.status).toBe(125);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^codex: warning: bubblewrap cannot create user namespaces here \(step: uid-map; bwrap: setting up uid map: Permission denied\): sandboxed commands are refused/);
    expect(lines[0]!.indexOf('bwrap-userns-restrict')).toBeLessThan(lines[0]!.indexOf('sysctl'));
    expect(lines[1]).toMatch(/^codex: bubblewrap cannot create its namespaces here .*the Landlock fallback cannot enforce this policy .*read-only under writable.* \[SANDBOX_UNSUPPORTED\]$/);
    const ro = sbx(['-s', 'read-only', '--', 'sh', '-c', 'touch x 2>/dev/null && echo wrote || echo denied'], { CODEX_TS_BWRAP: `${fb.dir}/bwrap` });
    expect(ro.stdout).toBe('denied\n');
    expect(ro.status).toBe(0);
    expect(ro.stderr).toMatch(/^codex: warning: bubblewrap cannot create user namespaces here .*: using the weaker Landlock fallback/m);
    expect(ro.stderr).toMatch(/^codex: warning: sandbox: .* Landlock \+ seccomp fallback, which cannot enforce: metadata changes \(chmod, chown, utimes, xattrs\)/m);
    // probed once: the second run reads the per-boot cache
    const cache = path.join(root, 'cache-apparmor');
    sbx(['-s', 'workspace-write', '--', '/bin/true'], { CODEX_TS_BWRAP: `${fb.dir}/bwrap`, CODEX_TS_CACHE_DIR: cache });
    const before = calls(fb.log).filter((l) => l.endsWith('--version')).length;
    sbx(['-s', 'workspace-write', '--', '/bin/true'], { CODEX_TS_BWRAP: `${fb.dir}/bwrap`, CODEX_TS_CACHE_DIR: cache });
    expect(calls(fb.log).filter((l) => l.endsWith('--version')).length).toBe(before);
  });

  it('containers (`Failed to make / slave`): detected, container options printed, non-zero exit', () => {
    const fb = fakeBwrap('container', 'echo "bwrap: Failed to make / slave: Permission denied" >&2; exit 1');
    const r = sbx(['-s', 'read-only', '--route', 'bwrap', '--', '/bin/true'], { CODEX_TS_BWRAP: `${fb.dir}/bwrap` });
    expect(r.status).toBe(125);
    expect(r.stderr).toMatch(/step: container/);
    expect(r.stderr).toMatch(/--security-opt seccomp=unconfined/);
  });

  it('kernel without Landlock: bubblewrap is unaffected; with bubblewrap unusable too, refused (125), never unsandboxed', () => {
    const ex = sbx(['-s', 'read-only', '--explain', '--', 'true'], { CODEX_TS_LANDLOCK_ABI: '-38' });
    expect(ex.stdout).toMatch(/^route: bwrap/m);
    const r = sbx(['-s', 'read-only', '--', 'sh', '-c', 'touch x 2>/dev/null && echo wrote || echo denied'], { CODEX_TS_LANDLOCK_ABI: '-38' });
    expect(r.stdout).toBe('denied\n');
    const fb = fakeBwrap('nolandlock', 'echo "bwrap: setting up uid map: Permission denied" >&2; exit 1');
    const n = sbx(['-s', 'read-only', '--', 'sh', '-c', 'echo ran'], { CODEX_TS_LANDLOCK_ABI: '-38', CODEX_TS_BWRAP: `${fb.dir}/bwrap` });
    expect(n.stdout).toBe('');
    expect(n.status).toBe(125);
    expect(n.stderr).toMatch(/Landlock is not available.*\[SANDBOX_UNSUPPORTED\]$/m);
  });

  it('bwrap without --argv0 (0.8.0 here): compatibility path for the inner re-exec; with --argv0: used', () => {
    const old = fakeBwrap('old', `case "$1" in --help) echo "usage: bwrap [OPTIONS...] [--] COMMAND"; echo "    --args FD"; exit 0;; esac; exec ${BWRAP} "$@"`);
    const ex = sbx(['-s', 'workspace-write', '--seccomp-via', 'reexec', '--explain', '--', 'true'], { CODEX_TS_BWRAP: `${old.dir}/bwrap` });
    expect(ex.stdout).not.toMatch(/--argv0/);
    expect(ex.stdout).toMatch(/ -- \S+\/sandbox-helper-[0-9a-f]+\/codex-linux-sandbox --inner-seccomp netns -- true/);
    const r = sbx(['-s', 'workspace-write', '--seccomp-via', 'reexec', '--', 'sh', '-c', 'echo ok > f && cat f'], { CODEX_TS_BWRAP: `${old.dir}/bwrap` });
    expect(r.stdout).toBe('ok\n');
    expect(r.stderr).toBe('');
    const neu = fakeBwrap('new', `case "$1" in --help) echo "    --argv0 VALUE     Set argv[0] to the value VALUE before running the program"; exit 0;; esac; exec ${BWRAP} "$@"`);
    const ex2 = sbx(['-s', 'workspace-write', '--seccomp-via', 'reexec', '--explain', '--', 'true'], { CODEX_TS_BWRAP: `${neu.dir}/bwrap` });
    expect(ex2.stdout).toMatch(/--argv0 codex-linux-sandbox -- \S+ --inner-seccomp netns -- true/);
  });

  it('warn (and probe) only when the sandbox will actually run: danger-full-access never touches bwrap', () => {
    const fb = fakeBwrap('unused', 'echo "bwrap: setting up uid map: Permission denied" >&2; exit 1');
    const r = sbx(['-s', 'danger-full-access', '--', 'sh', '-c', 'echo $0'], { CODEX_TS_BWRAP: `${fb.dir}/bwrap` });
    expect(r).toMatchObject({ status: 0, stdout: 'sh\n', stderr: '' });
    expect(calls(fb.log)).toEqual([]);
  });

  it('a bwrap planted in the cwd is never used; no system bwrap → bundled codex-resources/bwrap with a warning', () => {
    const planted = path.join(ws, 'bwrap');
    fs.writeFileSync(planted, `#!/bin/sh\ntouch ${root}/planted-ran\nexit 0\n`, { mode: 0o755 });
    try {
      const r = sbx(['-s', 'read-only', '--route', 'bwrap', '--', '/bin/true'], { PATH: `.:${ws}:/usr/bin:/bin` });
      expect(r.status).toBe(0);
      expect(fs.existsSync(path.join(root, 'planted-ran'))).toBe(false);
    } finally {
      fs.rmSync(planted);
    }
    expect(fs.existsSync(path.join(DIST, 'codex-resources', 'bwrap'))).toBe(true);
    const b = sbx(['-s', 'workspace-write', '--', '/bin/sh', '-c', 'echo in > f && /bin/cat f'], { PATH: '/nonexistent' });
    expect(b.stdout).toBe('in\n');
    expect(b.stderr.trim()).toMatch(/^codex: warning: no system bubblewrap on PATH: using the bundled \S+\/codex-resources\/bwrap/);
    expect(b.status).toBe(0);
    const j = sbx(['-s', 'workspace-write', '--json', '--', '/bin/true'], { PATH: '/nonexistent' });
    expect(JSON.parse(j.stderr.trim())).toMatchObject({ type: 'warning', code: 'bwrap-bundled' });
  });

  it('WSL1: refused with a clear error before bwrap runs; WSL2 runs normally', () => {
    const fb = fakeBwrap('wsl', `exec ${BWRAP} "$@"`);
    const v = path.join(root, 'proc-version');
    fs.writeFileSync(v, 'Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com) (gcc version 5.4.0 (GCC) ) #1237-Microsoft Sat Sep 11 14:32:00 PST 2021\n');
    const r = sbx(['-s', 'workspace-write', '--', '/bin/true'], { CODEX_TS_BWRAP: `${fb.dir}/bwrap`, CODEX_TS_PROC_VERSION_FILE: v });
    expect(r.status).toBe(125);
    expect(r.stderr.trim()).toMatch(/^codex: WSL1 cannot create the user namespaces .* \[SANDBOX_WSL1\]$/);
    expect(calls(fb.log)).toEqual([]);
    fs.writeFileSync(v, 'Linux version 5.15.153.1-microsoft-standard-WSL2 (root@65c757a075e2) (gcc (GCC) 11.2.0)\n');
    expect(sbx(['-s', 'workspace-write', '--', '/bin/true'], { CODEX_TS_BWRAP: `${fb.dir}/bwrap`, CODEX_TS_PROC_VERSION_FILE: v }).status).toBe(0);
  });

  it('worktrees: gitdir resolved; an explicit entry for .git wins over the automatic protection; no placeholder .git is created', () => {
    const repo = path.join(root, 'repo');
    fs.mkdirSync(repo);
    run('git', ['init', '-q', repo]);
    run('git', ['-C', repo, '-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-q', '--allow-empty', '-m', 'x']);
    const wt = path.join(root, 'wt');
    run('git', ['-C', repo, 'worktree', 'add', '-q', wt]);
    const target = fs.readFileSync(path.join(wt, '.git'), 'utf8').replace(/^gitdir: /, '').trim();
    const ex = sbx(['-s', 'workspace-write', '--explain', '--', 'true'], {}, wt);
    expect(ex.stdout).toContain(`read  ${fs.realpathSync(target)}  (protected gitdir-target)`);
    const r = sbx(['-s', 'workspace-write', '--', 'sh', '-c', `touch ${target}/x 2>/dev/null && echo target-writable; echo >> .git 2>/dev/null && echo gitfile-writable; git status --short >/dev/null && echo git-works`], {}, wt);
    expect(r.stdout).toBe('git-works\n');
    // explicit user entry for the protected path is more specific than the protection
    fs.writeFileSync(path.join(home, 'config.toml'), `[permissions.gitw.filesystem]\n":root" = "read"\n":workspace_roots" = "write"\n"${fs.realpathSync(repo)}/.git" = "write"\n`);
    const w = sbx(['--permissions', 'gitw', '--', 'sh', '-c', 'touch .git/explicit && echo git-writable'], {}, repo);
    expect(w.stdout).toBe('git-writable\n');
    // a cwd without .git: nothing materialised
    const plain = path.join(root, 'plain');
    fs.mkdirSync(plain);
    expect(sbx(['-s', 'workspace-write', '--', '/bin/true'], {}, plain).status).toBe(0);
    expect(fs.existsSync(path.join(plain, '.git'))).toBe(false);
    expect(fs.existsSync(path.join(plain, '.agents'))).toBe(false);
  });

  it.skipIf(!fs.existsSync('/usr/bin/python3'))('local IPC under a network block: AF_UNIX stream socketpair, send and setsockopt work on both routes; a datagram pair (it can sendto host sockets) does not', () => {
    const py = '/usr/bin/python3';
    const code = 'import socket; a,b=socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM); a.send(b"x"); print(b.recv(1).decode()); a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096); print("ok")\ntry:\n socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM); print("dgram")\nexcept OSError: print("no-dgram")';
    for (const route of ['landlock', 'bwrap']) {
      const r = sbx(['-s', 'read-only', '--route', route, '--', py, '-c', code]);
      expect(r.stdout, r.stderr).toBe('x\nok\nno-dgram\n');
    }
  });

  it('errors name the backend, the step and errno; a bad policy is a set-up failure (125), not a denial', () => {
    const r = run(SANDBOX_BIN, ['--policy', '{"rules": 1}', '--', '/bin/true']);
    expect(r.status).toBe(125);
    expect(r.stderr.trim()).toMatch(/^codex-linux-sandbox: bad --policy JSON: .* \[SANDBOX_POLICY_INVALID\]$/);
    const none = run(SANDBOX_BIN, ['--policy', JSON.stringify({ unrestricted: false, rules: [{ path: '/', access: 'read' }], network: false, legacyEquivalent: true, cwd: '/' }), '--', 'no-such-cmd-xyz']);
    expect(none.status).toBe(127);
    expect(none.stderr.trim()).toBe('codex-linux-sandbox: no-such-cmd-xyz: command not found [EXEC_NOT_FOUND]');
  });
});

describe('codex sandbox', () => {
  it('exits with the command status on both routes; a denial is the command status, not 125', () => {
    for (const route of ['landlock', 'bwrap']) {
      expect(sbx(['-s', 'read-only', '--route', route, '--', 'sh', '-c', 'exit 7']).status).toBe(7);
      const d = sbx(['-s', 'read-only', '--route', route, '--', 'touch', 'denied']);
      expect(d.status).toBe(1);
      expect(d.stderr).toMatch(/touch: cannot touch 'denied'/);
    }
    expect(sbx(['linux', '-s', 'read-only', '--', 'sh', '-c', 'exit 3']).status).toBe(3);
  });

  it('missing command → 127, not executable → 126, one line, no stack trace (0.169 panics)', () => {
    const m = sbx(['-s', 'workspace-write', '--', 'no-such-command-xyz', 'a']);
    expect({ ...m, stderr: withoutBundledBwrapWarning(m.stderr) }).toMatchObject({ status: 127, stdout: '', stderr: 'codex: no-such-command-xyz: command not found [EXEC_NOT_FOUND]\n' });
    fs.writeFileSync(path.join(ws, 'plain.txt'), 'x');
    const n = sbx(['-s', 'read-only', '--', './plain.txt']);
    expect(n.status).toBe(126);
    expect(n.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(sbx(['-s', 'read-only']).status).toBe(2);
  });

  it('policy warnings (an unknown :token) are surfaced on stderr and in --explain; the command still runs', () => {
    const h = path.join(root, 'home-warn');
    fs.mkdirSync(h, { recursive: true });
    fs.writeFileSync(path.join(h, 'config.toml'), '[permissions.w.filesystem]\n":root" = "read"\n":future_token" = "read"\n');
    const r = sbx(['--permissions', 'w', '--', 'sh', '-c', 'echo ran'], { CODEX_HOME: h });
    expect(r.stdout).toBe('ran\n');
    expect(r.stderr).toMatch(/^codex: warning: .*:future_token/m);
    expect(sbx(['--permissions', 'w', '--explain', '--', 'true'], { CODEX_HOME: h }).stdout).toMatch(/^warning: .*:future_token/m);
  });

  it('an fd inherited from our parent (here: a directory outside) never reaches the sandboxed command', () => {
    const dirFd = fs.openSync(root, 'r');
    try {
      for (const route of ['landlock', 'bwrap']) {
        const r = spawnSync(CODEX_BIN, ['sandbox', '-s', 'read-only', '--route', route, '--', 'sh', '-c', 'ls /proc/$$/fd'], {
          cwd: ws,
          env: { PATH: '/usr/bin:/bin', HOME: root, CODEX_HOME: home, CODEX_TS_CACHE_DIR: path.join(root, 'cache-fd') },
          stdio: ['ignore', 'pipe', 'pipe', 'ignore', 'ignore', dirFd],
          encoding: 'utf8',
          timeout: 30_000,
        });
        expect(r.stdout.split('\n').filter(Boolean), `${route}: ${r.stderr}`).toEqual(['0', '1', '2']);
      }
    } finally {
      fs.closeSync(dirFd);
    }
  });

  it('--explain prints the policy, the route and the exact bwrap argv without running anything', () => {
    const e = sbx(['--full-auto', '--explain', '--', 'touch', 'should-not-exist']);
    expect(e.status).toBe(0);
    expect(fs.existsSync(path.join(ws, 'should-not-exist'))).toBe(false);
    expect(e.stdout).toMatch(/^policy: sandbox_mode workspace-write \(from cli\)$/m);
    expect(e.stdout).toMatch(/^ {4}write \S+\/ws$/m);
    const bw = BWRAP.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    expect(e.stdout).toMatch(new RegExp(`^route: bwrap \\(${bw}, (system|bundled)\\)$`, 'm'));
    expect(e.stdout).toMatch(new RegExp(`^ {2}${bw} --new-session --die-with-parent --ro-bind / / .* --unshare-net .* --seccomp 3 -- touch should-not-exist$`, 'm'));
    const j = JSON.parse(sbx(['-s', 'read-only', '--explain', '--json', '--', 'ls']).stdout);
    expect(j).toMatchObject({ route: 'bwrap', policy: { network: false, legacyEquivalent: true } });
    expect(j.argv).toContain('--unshare-pid');
    expect(JSON.parse(sbx(['-s', 'read-only', '--route', 'landlock', '--explain', '--json', '--', 'ls']).stdout)).toMatchObject({ route: 'landlock', argv0: 'codex-linux-sandbox' });
  });
});
