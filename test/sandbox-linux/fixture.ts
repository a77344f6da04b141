// A probe matrix run inside the sandbox: one shell script per run prints `name=ok|no` per probe.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODEX_BIN, SANDBOX_BIN, binsForOthers, run, type RunResult } from '../helpers/bin.js';

export const PY = '/usr/bin/python3';
export const HAVE_PY = fs.existsSync(PY);

export interface Fixture {
  base: string;
  ws: string;
  wt: string;
  gitdirTarget: string;
  outside: string;
  home: string;
  codexHome: string;
  cache: string;
  split: string;
  port: number;
  close(): Promise<void>;
}

function mk(p: string, mode = 0o777): string {
  fs.mkdirSync(p, { recursive: true });
  fs.chmodSync(p, mode);
  return p;
}

/** Workspaces live under /var/tmp so that `/tmp` being writable says nothing about them. */
export async function makeFixture(): Promise<Fixture> {
  const base = fs.realpathSync(fs.mkdtempSync(path.join('/var/tmp', 'codex-sbx-')));
  fs.chmodSync(base, 0o755);
  const ws = mk(path.join(base, 'ws'));
  mk(path.join(ws, '.git'));
  fs.writeFileSync(path.join(ws, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mk(path.join(ws, '.codex'));
  const outside = mk(path.join(base, 'outside'));
  fs.symlinkSync(outside, path.join(ws, 'link'));
  // worktree-style checkout: `.git` is a pointer file whose target sits in /tmp (a writable root)
  const tmpBase = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'codex-sbx-gd-')));
  fs.chmodSync(tmpBase, 0o755);
  const gitdirTarget = mk(path.join(tmpBase, 'worktrees', 'wt'));
  fs.writeFileSync(path.join(gitdirTarget, 'HEAD'), 'ref: refs/heads/wt\n');
  const wt = mk(path.join(base, 'wt'));
  fs.writeFileSync(path.join(wt, '.git'), `gitdir: ${gitdirTarget}\n`);
  fs.chmodSync(path.join(wt, '.git'), 0o666);
  const split = mk(path.join(base, 'split'));
  mk(path.join(split, 'a', 'b'));
  mk(path.join(split, 'c'));
  fs.writeFileSync(path.join(split, 'a', 'secret'), 'secret\n');
  fs.chmodSync(path.join(split, 'a'), 0o777);
  const home = mk(path.join(base, 'home'));
  const codexHome = mk(path.join(base, 'codex-home'));
  const cache = mk(path.join(base, 'cache'));
  mk(path.join(cache, 'root'), 0o700);
  mk(path.join(cache, 'nobody'), 0o700);
  fs.chownSync(path.join(cache, 'nobody'), 65534, 65534);
  fs.writeFileSync(
    path.join(codexHome, 'config.toml'),
    [
      '[permissions.split.filesystem]',
      '":root" = "read"',
      `"${split}" = "write"`,
      `"${split}/a" = "none"`,
      `"${split}/a/b" = "write"`,
      '[permissions.minimal.filesystem]',
      '":minimal" = "read"',
      '":workspace_roots" = "write"',
      '',
    ].join('\n'),
  );
  const server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    base, ws, wt, gitdirTarget, outside, home, codexHome, cache, split, port,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(base, { recursive: true, force: true });
      fs.rmSync(tmpBase, { recursive: true, force: true });
    },
  };
}

/** The probe script: every probe is one line `name=ok|no`. */
export function probeScript(f: Fixture, tag: string): string {
  const t = `${tag}-${process.pid}`;
  const py = (code: string) => `${PY} -c "import socket; ${code}"`;
  return [
    'p() { n=$1; shift; if "$@" >/dev/null 2>&1; then echo "$n=ok"; else echo "$n=no"; fi; }',
    `p read_etc cat /etc/hostname`,
    `p read_ws ls ${f.ws}`,
    `p write_cwd touch ./w-${t}`,
    `p write_tmp touch /tmp/codex-sbx-probe-${t}`,
    `p write_home touch ${f.home}/w-${t}`,
    `p write_outside touch ${f.outside}/w-${t}`,
    `p write_symlink_escape touch ${f.ws}/link/s-${t}`,
    `p write_git touch ${f.ws}/.git/w-${t}`,
    `p write_codex touch ${f.ws}/.codex/w-${t}`,
    `p write_gitfile sh -c 'echo x >> ${f.wt}/.git'`,
    `p write_gitdir_target touch ${f.gitdirTarget}/w-${t}`,
    `p tcp_loopback ${py(`socket.create_connection(('127.0.0.1', ${f.port}), timeout=3).close()`)}`,
    `p unix_socketpair ${py('a, b = socket.socketpair(); a.sendall(b\\"x\\"); assert b.recv(1) == b\\"x\\"')}`,
    `p unix_socket ${py('socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close()')}`,
    `rm -f /tmp/codex-sbx-probe-${t}`,
  ].join('\n');
}

export function parseProbes(out: string): Record<string, 'ok' | 'no'> {
  const m: Record<string, 'ok' | 'no'> = {};
  for (const line of out.split('\n')) {
    const x = /^(\w+)=(ok|no)$/.exec(line.trim());
    if (x) m[x[1]!] = x[2] as 'ok' | 'no';
  }
  return m;
}

export type User = 'root' | 'nobody';

/** Run `file args` as root or as nobody (setpriv), with a private HOME / CODEX_HOME / cache. */
export function runAs(user: User, f: Fixture, file: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): RunResult {
  const env = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: f.home,
    CODEX_HOME: f.codexHome,
    CODEX_TS_CACHE_DIR: path.join(f.cache, user),
    ...extraEnv,
  };
  if (user === 'root') return run(file, args, { cwd, env, timeout: 30_000 });
  const bins = binsForOthers();
  const asOthers = file === CODEX_BIN ? bins.codex : file === SANDBOX_BIN ? bins.sandbox : file;
  return run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', asOthers, ...args], { cwd, env, timeout: 30_000 });
}
