// The sandbox tried as an attacker would: a compiled probe (probe.c) attempts everything the threat
// model of the sandbox spec forbids, as root and as nobody, on the default route (bubblewrap) and
// on the fallback (Landlock + seccomp, forced with --route landlock). Every attack is first shown to
// work outside the sandbox (a control), so no expectation can pass by accident.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shQuote } from '../../protocol/index.js';
import { items, runCodex, writeConfig } from '../core/_exec.js';
import { CODEX_BIN, binsForOthers, run, type RunResult } from '../helpers/bin.js';
import { startMock, type MockServer } from '../mock/server.js';

type User = 'root' | 'nobody';
type Probes = Record<string, string>;

const CC = ['/usr/bin/cc', '/usr/bin/gcc', '/usr/local/bin/cc'].find((c) => fs.existsSync(c));
const NO_CC = 'no C compiler (cc) to build the probe; install gcc';
if (!CC && process.env.CI) throw new Error(`sandbox attack tests: ${NO_CC}`);

let base: string;
let ws: string;
let probe: string;
let outsideFile: string;
let hostSock: string;
const abstractName = `codex-atk-${process.pid}`;
let servers: net.Server[] = [];
let mock: MockServer;
const victims: Partial<Record<User, ChildProcess>> = {};

function mk(p: string, mode = 0o777): string {
  fs.mkdirSync(p, { recursive: true });
  fs.chmodSync(p, mode);
  return p;
}

function listen(server: net.Server, where: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(where, () => resolve());
  });
}

beforeAll(async () => {
  if (!CC) return;
  mock = await startMock();
  base = fs.realpathSync(fs.mkdtempSync('/var/tmp/codex-atk-'));
  fs.chmodSync(base, 0o755);
  mk(path.join(base, 'bin'), 0o755);
  probe = path.join(base, 'bin', 'probe');
  const cc = spawnSync(CC, ['-O1', '-o', probe, path.join(import.meta.dirname, 'probe.c')], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`cc failed: ${cc.stderr}`);
  fs.chmodSync(probe, 0o755);
  ws = mk(path.join(base, 'ws'));
  outsideFile = path.join(base, 'outside.txt');
  fs.writeFileSync(outsideFile, 'outside\n');
  fs.chmodSync(outsideFile, 0o666);
  hostSock = path.join(base, 'host.sock');
  const s1 = net.createServer((c) => c.end());
  const s2 = net.createServer((c) => c.end());
  await listen(s1, hostSock);
  fs.chmodSync(hostSock, 0o777);
  await listen(s2, `\0${abstractName}`);
  servers = [s1, s2];
  victims.root = spawn('sleep', ['600'], { env: { PATH: '/usr/bin:/bin', CODEX_ATK_SECRET: 'sk-victim' }, stdio: 'ignore' });
  victims.nobody = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', 'sleep', '600'], {
    env: { PATH: '/usr/bin:/bin', CODEX_ATK_SECRET: 'sk-victim' },
    stdio: 'ignore',
  });
  // Until setpriv has exec'd sleep (before that, the changed credentials make it undumpable).
  const comm = () => {
    try {
      return fs.readFileSync(`/proc/${victims.nobody!.pid}/comm`, 'utf8').trim();
    } catch {
      return '';
    }
  };
  for (let i = 0; i < 250 && comm() !== 'sleep'; i++) await new Promise((r) => setTimeout(r, 20));
});

afterAll(async () => {
  await mock?.close();
  for (const v of Object.values(victims)) v?.kill('SIGKILL');
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

function parse(out: string): Probes {
  const m: Probes = {};
  for (const line of out.split('\n')) {
    const x = /^(\w+)=(ok|no)/.exec(line.trim());
    if (x) m[x[1]!] = x[2]!;
  }
  return m;
}

function envFor(user: User, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: path.join(base, `home-${user}`),
    CODEX_HOME: path.join(base, `codex-home-${user}`),
    CODEX_TS_CACHE_DIR: path.join(base, `cache-${user}`),
    ...extra,
  };
}

function prepareUser(user: User): void {
  for (const d of [`home-${user}`, `codex-home-${user}`, `cache-${user}`]) {
    mk(path.join(base, d), 0o700);
    if (user === 'nobody') fs.chownSync(path.join(base, d), 65534, 65534);
  }
  fs.chownSync(outsideFile, user === 'nobody' ? 65534 : 0, user === 'nobody' ? 65534 : 0);
}

/** `file args` as the user (nobody through setpriv and a world-readable copy of dist/). */
function runAs(user: User, file: string, args: string[], env: Record<string, string>, cwd = ws): RunResult {
  if (user === 'root') return run(file, args, { cwd, env, timeout: 60_000 });
  const bin = file === CODEX_BIN ? binsForOthers().codex : file;
  return run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', bin, ...args], { cwd, env, timeout: 60_000 });
}

function probeArgs(list: string[][]): string[] {
  return list.flatMap((p, i) => (i === 0 ? p : ['--', ...p]));
}

/** The attacks of the threat model (name → probe argv), per user. */
function attacks(user: User): string[][] {
  const victim = String(victims[user]!.pid);
  return [
    ['caps'],
    ['capbnd'],
    ['chmod', outsideFile],
    ['chown', outsideFile],
    ['utimes', outsideFile],
    ['setxattr', outsideFile],
    ['bpf'],
    ['unshare_ns'],
    ['unshare_user'],
    ['mount', ws],
    ['sethostname'],
    ['kill', victim],
    ['environ', victim],
    ['unix_path', hostSock],
    ['unix_abstract', abstractName],
    ['socketpair_dgram'],
    ['vsock'],
    ['packet'],
    ['io_uring'],
    ['keyctl'],
    ['clone3'],
    ['mkdir', path.join(ws, '.git')],
    ['mkdir', path.join(ws, '.agents')],
    ['mkdir', path.join(ws, '.codex')],
  ];
}

const MUST_WORK = [['socketpair'], ['socketpair_seqpacket']];
/** Attacks that work for each user outside any sandbox on this machine (the controls). */
const CONTROL: Record<User, string[]> = {
  root: ['caps', 'capbnd', 'chmod', 'chown', 'utimes', 'unshare_ns', 'kill', 'environ', 'unix_path', 'unix_abstract', 'io_uring', 'keyctl', 'clone3', 'socketpair_dgram'],
  nobody: ['capbnd', 'chmod', 'chown', 'utimes', 'kill', 'environ', 'unix_path', 'unix_abstract', 'io_uring', 'keyctl', 'clone3', 'socketpair_dgram'],
};
/** What the Landlock fallback cannot enforce (its start-up warning says so). */
const FALLBACK_GAPS: Record<User, string[]> = {
  root: ['chmod', 'chown', 'utimes', 'setxattr'],
  // unprivileged, the bounding set cannot be dropped (no_new_privs keeps it unusable)
  nobody: ['chmod', 'chown', 'utimes', 'setxattr', 'capbnd'],
};

describe.skipIf(!CC)(`the sandbox as an attacker sees it${CC ? '' : ` (skipped: ${NO_CC})`}`, () => {
  describe.each(['root', 'nobody'] as const)('as %s', (user) => {
    beforeAll(() => prepareUser(user));

    it('controls: each attack works outside the sandbox', () => {
      // (never `mount` outside a sandbox: as root it would really mount over the workspace)
      const r = runAs(user, probe, probeArgs(attacks(user).filter(([n]) => n !== 'mount')), envFor(user));
      for (const d of ['.git', '.agents', '.codex']) fs.rmSync(path.join(ws, d), { recursive: true, force: true });
      const got = parse(r.stdout);
      for (const name of CONTROL[user]) expect({ [name]: got[name] }, r.stdout).toEqual({ [name]: "ok" });
    });

    for (const mode of ['read-only', 'workspace-write'] as const) {
      it(`${mode} on the default route (bubblewrap): every attack refused, socket pairs work`, () => {
        const explain = runAs(user, CODEX_BIN, ['sandbox', '-s', mode, '--explain', '--', 'true'], envFor(user));
        expect(explain.stdout).toMatch(/^route: bwrap/m);
        const r = runAs(user, CODEX_BIN, ['sandbox', '-s', mode, '--', probe, ...probeArgs([...attacks(user), ...MUST_WORK])], envFor(user));
        expect(r.status, r.stderr).toBe(0);
        const got = parse(r.stdout);
        for (const [name] of attacks(user)) expect({ [name!]: got[name!] }).toEqual({ [name!]: 'no' });
        for (const [name] of MUST_WORK) expect({ [name!]: got[name!] }).toEqual({ [name!]: 'ok' });
        for (const d of ['.git', '.agents', '.codex']) expect(fs.existsSync(path.join(ws, d)), `${d} left behind`).toBe(false);
      });
    }

    // The core's own route (what the model's commands take: prepareSandboxedSpawn, then execa or a
    // pty), not only `codex sandbox`: the probe as an exec_command of `codex exec`.
    it.each([
      ['read-only', false, 'bwrap'],
      ['workspace-write', false, 'bwrap'],
      ['workspace-write', true, 'bwrap'],
      // No usable bubblewrap (CODEX_TS_BWRAP names none): the core's Landlock + seccomp fallback.
      ['read-only', false, 'landlock'],
    ] as const)('codex exec, %s (tty: %s, %s): the same attacks refused from a tool command', async (mode, tty, route) => {
      const home = mk(path.join(base, `exec-home-${user}-${mode}-${tty}-${route}`), 0o700);
      writeConfig(home, mock);
      if (user === 'nobody') for (const f of [home, path.join(home, 'config.toml')]) fs.chownSync(f, 65534, 65534);
      const cmd = [probe, ...probeArgs([...attacks(user), ...MUST_WORK])].map(shQuote).join(' ');
      mock.push({ kind: 'call', name: 'exec_command', args: { cmd, ...(tty ? { tty: true } : {}) } }, { kind: 'message', text: 'done' });
      const argv = ['exec', '--json', '--skip-git-repo-check', '-s', mode, 'probe'];
      const setpriv = ['--reuid=65534', '--regid=65534', '--clear-groups', '--', binsForOthers().codex, ...argv];
      const env = envFor(user, { CODEX_HOME: home, ...(route === 'landlock' ? { CODEX_TS_BWRAP: '/nonexistent/bwrap' } : {}) });
      const r = await runCodex(user === 'root' ? argv : setpriv, { home, cwd: ws, env, ...(user === 'root' ? {} : { bin: 'setpriv' }) });
      expect(r.status, r.stderr).toBe(0);
      // The start-up warning (an error item in --json) names the fallback.
      if (route === 'landlock') expect(r.stdout).toMatch(/Landlock \+ seccomp fallback/);
      const out = String(items(r, 'command_execution')[0]?.aggregated_output ?? '');
      const got = parse(out);
      const gaps = route === 'landlock' ? FALLBACK_GAPS[user] : [];
      for (const [name] of attacks(user)) if (!gaps.includes(name!)) expect({ [name!]: got[name!] }, out).toEqual({ [name!]: 'no' });
      for (const [name] of MUST_WORK) expect({ [name!]: got[name!] }, out).toEqual({ [name!]: 'ok' });
      for (const d of ['.git', '.agents', '.codex']) expect(fs.existsSync(path.join(ws, d)), `${d} left behind`).toBe(false);
    });

    it('read-only on the Landlock fallback: refused except the gaps its warning names', () => {
      const r = runAs(user, CODEX_BIN, ['sandbox', '-s', 'read-only', '--route', 'landlock', '--', probe, ...probeArgs([...attacks(user), ...MUST_WORK])], envFor(user));
      expect(r.status, r.stderr).toBe(0);
      const got = parse(r.stdout);
      for (const [name] of attacks(user)) {
        if (!FALLBACK_GAPS[user].includes(name!)) expect({ [name!]: got[name!] }).toEqual({ [name!]: 'no' });
      }
      for (const [name] of MUST_WORK) expect({ [name!]: got[name!] }).toEqual({ [name!]: 'ok' });
    });

    it('no terminal injection: TIOCSTI from inside a sandbox started on a pty', () => {
      const env = envFor(user);
      const inPty = (cmd: string) => runAs(user, '/usr/bin/script', ['-qefc', cmd, '/dev/null'], env);
      const control = parse(inPty(`${probe} tiocsti 0`).stdout);
      const fs0 = fs.readFileSync('/proc/sys/dev/tty/legacy_tiocsti', 'utf8').trim();
      if (fs0 === '1') expect(control.tiocsti).toBe('ok');
      const codex = user === 'root' ? CODEX_BIN : binsForOthers().codex;
      for (const route of ['auto', 'landlock']) {
        const got = parse(inPty(`${codex} sandbox -s read-only --route ${route} -- ${probe} tiocsti 0 -- tiocsti tty -- tioclinux -- setsid`).stdout);
        expect({ route, ...got }).toEqual({ route, tiocsti: 'no', tioclinux: 'no', setsid: 'no' });
      }
    });

    it('our own files: cache, CODEX_HOME and credentials cannot be changed or read, even inside a writable root', () => {
      const cache = mk(path.join(ws, `cache-in-ws-${user}`), 0o700);
      const home = mk(path.join(ws, `home-in-ws-${user}`), 0o700);
      fs.writeFileSync(path.join(home, 'auth.json'), '{"OPENAI_API_KEY":"sk-secret"}\n');
      fs.writeFileSync(path.join(home, 'config.toml'), '');
      if (user === 'nobody') for (const p of [cache, home, path.join(home, 'auth.json'), path.join(home, 'config.toml')]) fs.chownSync(p, 65534, 65534);
      const env = envFor(user, { CODEX_TS_CACHE_DIR: cache, CODEX_HOME: home });
      const r = runAs(user, CODEX_BIN, ['sandbox', '-s', 'workspace-write', '--', probe, ...probeArgs([
        ['write', path.join(cache, 'planted')],
        ['rename', cache, path.join(ws, 'moved-cache')],
        ['write', path.join(home, 'config.toml')],
        ['read', path.join(home, 'auth.json')],
        ['write', path.join(ws, `allowed-${user}.txt`)],
      ])], env);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^write=no.*\n.*\nwrite=no.*\nread=no.*\nwrite=ok$/m);
      expect(fs.existsSync(path.join(cache, 'planted'))).toBe(false);
      expect(fs.readFileSync(path.join(home, 'config.toml'), 'utf8')).toBe('');
      // the Landlock fallback hides the credentials too (it grants read around them)
      const homeOut = path.join(base, `codex-home-${user}`);
      fs.writeFileSync(path.join(homeOut, 'auth.json'), '{"OPENAI_API_KEY":"sk-secret"}\n');
      fs.writeFileSync(path.join(homeOut, 'other.txt'), 'readable\n');
      if (user === 'nobody') for (const f of ['auth.json', 'other.txt']) fs.chownSync(path.join(homeOut, f), 65534, 65534);
      for (const route of ['auto', 'landlock']) {
        const ro = runAs(user, CODEX_BIN, ['sandbox', '-s', 'read-only', '--route', route, '--', probe, ...probeArgs([['read', path.join(homeOut, 'auth.json')], ['read', path.join(homeOut, 'other.txt')], ['read', '/etc/hostname']])], envFor(user));
        expect({ route, out: ro.stdout.replace(/:\w+/g, '') }, ro.stderr).toEqual({ route, out: 'read=no\nread=ok\nread=ok\n' });
      }
    });

    it('`":secrets" = "none"` hides the usual credential stores (beyond 0.169, whose read-only reads them)', () => {
      const home = path.join(base, `home-${user}`);
      mk(path.join(home, '.ssh'), 0o700);
      mk(path.join(home, '.aws'), 0o700);
      fs.writeFileSync(path.join(home, '.ssh', 'id_ed25519'), 'PRIVATE KEY\n');
      fs.writeFileSync(path.join(home, '.aws', 'credentials'), '[default]\n');
      fs.writeFileSync(path.join(home, 'notes.txt'), 'fine\n');
      if (user === 'nobody') {
        for (const p of ['.ssh', '.aws', '.ssh/id_ed25519', '.aws/credentials', 'notes.txt']) fs.chownSync(path.join(home, p), 65534, 65534);
      }
      const codexHome = path.join(base, `codex-home-${user}`);
      fs.writeFileSync(path.join(codexHome, 'config.toml'), '[permissions.sec.filesystem]\n":root" = "read"\n":workspace_roots" = "write"\n":secrets" = "none"\n');
      const r = runAs(user, CODEX_BIN, ['sandbox', '--permissions', 'sec', '--', probe, ...probeArgs([
        ['read', path.join(home, '.ssh', 'id_ed25519')],
        ['read', path.join(home, '.aws', 'credentials')],
        ['read', path.join(home, 'notes.txt')],
      ])], envFor(user));
      expect(r.stdout.replace(/:\w+/g, ''), r.stderr).toBe('read=no\nread=no\nread=ok\n');
      fs.rmSync(path.join(codexHome, 'config.toml'));
    });

    it('a `none` path cannot be moved away in one run and read in the next', () => {
      const root = mk(path.join(ws, `nm-${user}`));
      mk(path.join(root, 'a'));
      fs.writeFileSync(path.join(root, 'a', 'secret'), 'secret\n');
      if (user === 'nobody') for (const p of [root, path.join(root, 'a'), path.join(root, 'a', 'secret')]) fs.chownSync(p, 65534, 65534);
      const home = path.join(base, `codex-home-${user}`);
      fs.writeFileSync(path.join(home, 'config.toml'), [
        'default_permissions = "nm"',
        '[permissions.nm.filesystem]',
        '":root" = "read"',
        `"${root}" = "write"`,
        `"${root}/a/secret" = "none"`,
        '',
      ].join('\n'));
      const sbx = (...ps: string[][]) => parse(runAs(user, CODEX_BIN, ['sandbox', '--', probe, ...probeArgs(ps)], envFor(user), root).stdout);
      const first = sbx(['read', `${root}/a/secret`], ['rename', `${root}/a`, `${root}/b`], ['mkdir', `${root}/c`]);
      expect(first).toEqual({ read: 'no', rename: 'no', mkdir: 'ok' });
      expect(sbx(['rename', `${root}/a/secret`, `${root}/s2`])).toEqual({ rename: 'no' });
      expect(fs.readFileSync(path.join(root, 'a', 'secret'), 'utf8')).toBe('secret\n');
      expect(sbx(['read', `${root}/a/secret`])).toEqual({ read: 'no' });
      fs.rmSync(path.join(home, 'config.toml'));
    });
  });
});
