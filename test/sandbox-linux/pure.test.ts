// Pure parts of the Linux sandbox: BPF filter, Landlock plan, bwrap argv, discovery, route, policy JSON.
import { describe, expect, it } from 'vitest';
import type { EffectivePolicy, FsRule } from '../../sandbox/types.js';
import { AF, ARCH, SECCOMP_KINDS, SOCK, buildSeccompFilter, evaluateFilter, syscallNumber, type SeccompKind } from '../../sandbox/linux/seccomp-bpf.js';
import { LL, handledAccess, landlockInexpressible, planLandlock, type PathKind } from '../../sandbox/linux/landlock-plan.js';
import { buildBwrapArgs } from '../../sandbox/linux/bwrap-args.js';
import { classifyBwrapFailure, helpHasArgv0, isWsl1, interpretUsernsProbe } from '../../sandbox/linux/discovery.js';
import { decideLinuxRoute } from '../../sandbox/linux/route.js';
import { parsePolicyJson } from '../../sandbox/linux/policy-json.js';
import { parseHelperArgs } from '../../sandbox/linux/helper-main.js';
import { shellQuote } from '../../sandbox/linux/explain.js';

const pol = (rules: FsRule[], extra: Partial<EffectivePolicy> = {}): EffectivePolicy => ({
  unrestricted: false,
  rules,
  network: false,
  legacyEquivalent: true,
  cwd: '/repo',
  ...extra,
});
const FILE_ONLY = LL.EXECUTE | LL.WRITE_FILE | LL.READ_FILE | LL.TRUNCATE;
const dirs = (...ds: string[]) => (p: string): PathKind => (ds.includes(p) ? 'dir' : p.endsWith('.txt') || p === '/dev/null' ? 'file' : 'missing');

describe('seccomp program', () => {
  const x = (kind: SeccompKind, name: Parameters<typeof syscallNumber>[0], ...args: number[]) =>
    evaluateFilter(buildSeccompFilter(kind), { arch: ARCH.x86_64, nr: syscallNumber(name, 'x86_64'), args });
  it('every kind refuses io_uring, terminal injection, keyrings, bpf, mounts and new namespaces', () => {
    for (const kind of SECCOMP_KINDS) {
      expect(buildSeccompFilter(kind).length % 8).toBe(0);
      for (const n of ['io_uring_setup', 'io_uring_enter', 'io_uring_register', 'clone3'] as const) expect(x(kind, n)).toBe('enosys');
      for (const n of ['keyctl', 'add_key', 'request_key', 'bpf', 'mount', 'umount2', 'pivot_root', 'open_tree', 'move_mount', 'fsopen', 'fsmount', 'setns'] as const) {
        expect({ kind, n, v: x(kind, n) }).toEqual({ kind, n, v: 'eperm' });
      }
      expect(x(kind, 'ioctl', 0, 0x5412)).toBe('eperm'); // TIOCSTI
      expect(x(kind, 'ioctl', 0, 0x541c)).toBe('eperm'); // TIOCLINUX
      expect(x(kind, 'ioctl', 0, 0x5401)).toBe('allow'); // TCGETS
      expect(x(kind, 'unshare', 0x10000000)).toBe('eperm'); // CLONE_NEWUSER
      expect(x(kind, 'unshare', 0x00020000)).toBe('eperm'); // CLONE_NEWNS
      expect(x(kind, 'unshare', 0x00000400)).toBe('allow'); // CLONE_FILES
      expect(x(kind, 'clone', 0x01200011)).toBe('allow'); // fork()'s flags
      expect(x(kind, 'clone', 0x40000000 | 0x11)).toBe('eperm'); // CLONE_NEWNET
      expect(evaluateFilter(buildSeccompFilter(kind), { arch: ARCH.x86_64, nr: 0x40000000 + 41 })).toBe('eperm'); // x32 ABI
      for (const nr of [0, 1, 42 /* connect */, 44 /* sendto */, 54 /* setsockopt */, 59 /* execve */]) {
        expect(evaluateFilter(buildSeccompFilter(kind), { arch: ARCH.x86_64, nr })).toBe('allow');
      }
    }
  });
  it('network off: no AF_UNIX socket of its own (host sockets by path or abstract name); connected unix pairs only', () => {
    for (const kind of ['netns', 'no-network'] as const) {
      expect(x(kind, 'socket', AF.UNIX, SOCK.STREAM)).toBe('eperm');
      expect(x(kind, 'socket', AF.UNIX, SOCK.DGRAM)).toBe('eperm');
      expect(x(kind, 'socketpair', AF.UNIX, SOCK.STREAM)).toBe('allow');
      expect(x(kind, 'socketpair', AF.UNIX, SOCK.SEQPACKET | 0x80000 /* SOCK_CLOEXEC */)).toBe('allow');
      expect(x(kind, 'socketpair', AF.UNIX, SOCK.DGRAM)).toBe('eperm');
      expect(x(kind, 'socketpair', AF.INET, SOCK.STREAM)).toBe('eperm');
      for (const fam of [AF.PACKET, AF.VSOCK]) expect(x(kind, 'socket', fam, SOCK.STREAM)).toBe('eperm');
    }
    // inside the empty network namespace the internet families stay; without one they do not
    for (const fam of [AF.INET, AF.INET6, AF.NETLINK]) {
      expect(x('netns', 'socket', fam, SOCK.STREAM)).toBe('allow');
      expect(x('no-network', 'socket', fam, SOCK.STREAM)).toBe('eperm');
    }
  });
  it('network on: sockets are not filtered', () => {
    for (const fam of [AF.UNIX, AF.INET, AF.VSOCK]) expect(x('network', 'socket', fam, SOCK.STREAM)).toBe('allow');
    expect(x('network', 'socketpair', AF.UNIX, SOCK.DGRAM)).toBe('allow');
  });
  it('i386 compat: the same table by its own numbers; socketcall refused whole when the network is off; unknown arch refused', () => {
    const i = (kind: SeccompKind, nr: number, ...args: number[]) => evaluateFilter(buildSeccompFilter(kind), { arch: ARCH.i386, nr, args });
    expect(i('netns', 102)).toBe('eperm');
    expect(i('network', 102)).toBe('allow');
    expect(i('netns', syscallNumber('socket', 'i386'), AF.INET)).toBe('allow');
    expect(i('netns', syscallNumber('socket', 'i386'), AF.UNIX)).toBe('eperm');
    expect(i('network', syscallNumber('keyctl', 'i386'))).toBe('eperm');
    expect(i('network', syscallNumber('ioctl', 'i386'), 0, 0x5412)).toBe('eperm');
    expect(i('network', 22 /* umount */)).toBe('eperm');
    expect(i('network', 3 /* read */)).toBe('allow');
    expect(evaluateFilter(buildSeccompFilter('network'), { arch: 0xdeadbeef, nr: 0 })).toBe('eperm');
  });
});

describe('Landlock plan', () => {
  it('a hidden file of ours under a read grant: list-only down to it, full read beside it; ours under a writable root: refused', () => {
    const tree: Record<string, string[]> = { '/': ['etc', 'home'], '/home': ['u', 'v'], '/home/u': ['.codex', 'src'], '/home/u/.codex': ['auth.json', 'config.toml'] };
    const kind = (p: string): PathKind => (tree[p] ? 'dir' : p.includes('.') && !p.endsWith('.codex') ? 'file' : p === '/dev/null' ? 'file' : 'dir');
    const internal = { readOnly: ['/home/u/.codex'], hidden: ['/home/u/.codex/auth.json'], listDir: (p: string) => tree[p] ?? [] };
    const p = planLandlock(pol([{ path: '/', access: 'read' }]), 6, kind, internal);
    if (!p.ok) throw new Error(p.reason);
    const g = Object.fromEntries(p.grants.map((x) => [x.path, x.access]));
    const read = LL.EXECUTE | LL.READ_FILE | LL.READ_DIR;
    expect(g['/']).toBe(LL.READ_DIR);
    expect(g['/home']).toBe(LL.READ_DIR);
    expect(g['/home/u/.codex']).toBe(LL.READ_DIR);
    expect(g['/etc']).toBe(read);
    expect(g['/home/v']).toBe(read);
    expect(g['/home/u/src']).toBe(read);
    expect(g['/home/u/.codex/config.toml']).toBe((LL.EXECUTE | LL.READ_FILE) & FILE_ONLY);
    expect(g['/home/u/.codex/auth.json']).toBeUndefined();
    expect(p.scoped).toBe(3n);
    const w = planLandlock(pol([{ path: '/', access: 'read' }, { path: '/home/u', access: 'write' }]), 6, kind, internal);
    expect(w).toMatchObject({ ok: false, reason: expect.stringMatching(/ours: it must stay read-only/) });
    expect(planLandlock(pol([{ path: '/', access: 'read' }]), 5, kind)).toMatchObject({ ok: true, scoped: 0n });
  });

  it('read everywhere + writable roots + /dev/null', () => {
    const p = planLandlock(pol([{ path: '/', access: 'read' }, { path: '/repo', access: 'write' }, { path: '/notes.txt', access: 'write' }]), 3, dirs('/', '/repo'));
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.handled).toBe(handledAccess(3));
    const g = new Map(p.grants.map((x) => [x.path, x.access]));
    expect(g.get('/')).toBe(LL.EXECUTE | LL.READ_FILE | LL.READ_DIR);
    expect(g.get('/repo')).toBe(handledAccess(3));
    expect(g.get('/notes.txt')! & LL.MAKE_DIR).toBe(0n); // file rules carry file rights only
    expect(g.get('/dev/null')).toBe(LL.READ_FILE | LL.WRITE_FILE | LL.TRUNCATE);
  });
  it('ABI 1 handles no REFER/TRUNCATE; ABI < 1 is refused with the reason', () => {
    expect(handledAccess(1) & (LL.REFER | LL.TRUNCATE)).toBe(0n);
    const p = planLandlock(pol([{ path: '/', access: 'read' }]), -38, dirs('/'));
    expect(p).toEqual({ ok: false, reason: expect.stringMatching(/Landlock is not available/) });
  });
  it('a narrower entry under a broader one is not expressible (protected .git, none carve-outs), missing ones too', () => {
    expect(landlockInexpressible([{ path: '/', access: 'read' }, { path: '/repo', access: 'write' }])).toBeUndefined();
    expect(landlockInexpressible([{ path: '/', access: 'read' }, { path: '/repo', access: 'write' }, { path: '/repo/.git', access: 'read' }])).toMatch(/\/repo\/.git' is read-only under writable '\/repo'/);
    expect(landlockInexpressible([{ path: '/', access: 'read' }, { path: '/secret', access: 'none' }])).toMatch(/denied/);
    // a broader child under a narrower parent is fine (grants add up)
    expect(landlockInexpressible([{ path: '/', access: 'none' }, { path: '/usr', access: 'read' }, { path: '/repo', access: 'write' }])).toBeUndefined();
  });
});

describe('bwrap argv (pure)', () => {
  const self = '/opt/codex/codex';
  const build = (p: EffectivePolicy, kind: (p: string) => PathKind, extra: Partial<Parameters<typeof buildBwrapArgs>[0]> = {}) =>
    buildBwrapArgs({ policy: p, kindOf: kind, command: ['/bin/true'], selfExe: self, ...extra });

  it('workspace-write: ro root, bound cwd, protected .git on top, namespaces, network off, seccomp fd', () => {
    const p = pol([
      { path: '/', access: 'read' },
      { path: '/repo', access: 'write' },
      { path: '/repo/.git', access: 'read' },
      { path: '/tmp', access: 'write' },
    ]);
    const { args } = build(p, dirs('/', '/repo', '/repo/.git', '/tmp', self), { seccompFd: 3 });
    expect(args).toEqual([
      '--new-session', '--die-with-parent', '--ro-bind', '/', '/', '--dev', '/dev',
      '--bind', '/repo', '/repo', '--bind', '/tmp', '/tmp', '--ro-bind', '/repo/.git', '/repo/.git',
      '--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', '--unshare-net', '--proc', '/proc', '--cap-drop', 'ALL', '--chdir', '/repo',
      '--seccomp', '3', '--', '/bin/true',
    ]);
  });
  it('network allowed: no --unshare-net', () => {
    const { args } = build(pol([{ path: '/', access: 'read' }], { network: true }), dirs('/'));
    expect(args).not.toContain('--unshare-net');
  });
  it('/repo=write, /repo/a=none, /repo/a/b=write: child re-bound after the denied parent, parent remounted ro last', () => {
    const p = pol([
      { path: '/', access: 'read' },
      { path: '/repo', access: 'write' },
      { path: '/repo/a', access: 'none' },
      { path: '/repo/a/b', access: 'write' },
    ], { legacyEquivalent: false });
    const s = build(p, dirs('/', '/repo', '/repo/a', '/repo/a/b')).args.join(' ');
    expect(s).toContain('--bind /repo /repo --perms 111 --tmpfs /repo/a --bind /repo/a/b /repo/a/b --remount-ro /repo/a --unshare-user');
  });
  it('a none dir with nothing reopened is 000 and read-only; a none file is hidden behind /dev/null', () => {
    const p = pol([{ path: '/', access: 'read' }, { path: '/s', access: 'none' }, { path: '/k.txt', access: 'none' }]);
    const s = build(p, dirs('/', '/s')).args.join(' ');
    expect(s).toContain('--perms 000 --tmpfs /s --remount-ro /s');
    expect(s).toContain('--ro-bind /dev/null /k.txt');
  });
  it('missing protected paths: placeholders (created by the caller) bound read-only, unless not needed', () => {
    const p = pol([{ path: '/', access: 'read' }, { path: '/repo', access: 'write' }, { path: '/repo/.codex', access: 'read' }, { path: '/repo/.git', access: 'read' }]);
    const r = build(p, dirs('/', '/repo'));
    expect(r.args.join(' ')).toContain('--bind /repo /repo --ro-bind /repo/.codex /repo/.codex --ro-bind /repo/.git /repo/.git');
    expect(r.placeholders).toEqual(['/repo/.codex', '/repo/.git']);
    const skip = build(p, dirs('/', '/repo'), { noPlaceholder: new Set(['/repo/.git']) });
    expect(skip.args).not.toContain('/repo/.git');
    expect(skip.placeholders).toEqual(['/repo/.codex']);
  });
  it('the folders between a writable root and a carve-out become mount points (a rename cannot carry it away)', () => {
    const p = pol([{ path: '/', access: 'read' }, { path: '/repo', access: 'write' }, { path: '/repo/a/b/secret.txt', access: 'none' }], { legacyEquivalent: false });
    const s = build(p, dirs('/', '/repo', '/repo/a', '/repo/a/b')).args.join(' ');
    expect(s).toContain('--bind /repo /repo --bind /repo/a /repo/a --bind /repo/a/b /repo/a/b --ro-bind /dev/null /repo/a/b/secret.txt');
  });
  it('our own files go on top, read-only, only where the policy would let the command write them; credentials hidden', () => {
    const p = pol([{ path: '/', access: 'read' }, { path: '/repo', access: 'write' }]);
    const internal = { readOnly: ['/repo/cache', '/opt/codex', '/home/u/.codex'], hidden: ['/home/u/.codex/auth.txt'] };
    const { args } = build(p, dirs('/', '/repo', '/repo/cache', '/opt/codex', '/home/u/.codex'), { internal });
    const s = args.join(' ');
    expect(s).toContain('--ro-bind /repo/cache /repo/cache');
    expect(s).not.toContain('--ro-bind /opt/codex');
    expect(s).toContain('--ro-bind /dev/null /home/u/.codex/auth.txt');
    expect(s.indexOf('--ro-bind /repo/cache')).toBeGreaterThan(s.indexOf('--bind /repo /repo'));
  });
  it(':minimal profile: tmpfs root, merged-/usr symlinks recreated, our executable always bound read-only', () => {
    const p = pol([{ path: '/usr', access: 'read' }, { path: '/etc', access: 'read' }, { path: '/repo', access: 'write' }], { legacyEquivalent: false });
    const { args } = build(p, dirs('/usr', '/etc', '/repo', self), {
      rootSymlinks: [{ path: '/lib64', target: 'usr/lib64' }, { path: '/bin', target: 'usr/bin' }, { path: '/opt2', target: '/hidden' }],
    });
    const s = args.join(' ');
    expect(s.startsWith('--new-session --die-with-parent --tmpfs / --symlink usr/lib64 /lib64 --symlink usr/bin /bin --dev /dev')).toBe(true);
    expect(s).not.toContain('/opt2');
    expect(s).toContain(`--ro-bind ${self} ${self}`);
  });
  it('inner re-exec: --argv0 when supported, else the compatibility symlink dir (bound read-only)', () => {
    const p = pol([{ path: '/usr', access: 'read' }], { legacyEquivalent: false });
    const inner = { selfExe: self, helperArgs: ['--inner-seccomp', 'netns'] };
    const a = build(p, dirs('/usr', self, '/c'), { innerReexec: { ...inner, argv0Supported: true } }).args;
    expect(a.slice(a.indexOf('--argv0'))).toEqual(['--argv0', 'codex-linux-sandbox', '--', self, '--inner-seccomp', 'netns', '--', '/bin/true']);
    const b = build(p, dirs('/usr', self, '/c'), { innerReexec: { ...inner, argv0Supported: false, compatDir: '/c' } }).args;
    expect(b).not.toContain('--argv0');
    expect(b.join(' ')).toContain('--ro-bind /c /c');
    expect(b.slice(b.indexOf('--') )).toEqual(['--', '/c/codex-linux-sandbox', '--inner-seccomp', 'netns', '--', '/bin/true']);
  });
});

describe('bwrap discovery', () => {
  // findBwrap's cases: test/sandbox-linux/discovery.test.ts
  it('WSL1 vs WSL2 vs Linux', () => {
    expect(isWsl1('Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com) (gcc version 5.4.0) #1237-Microsoft')).toBe(true);
    expect(isWsl1('Linux version 5.15.153.1-microsoft-standard-WSL2 (root@65c757a075e2)')).toBe(false);
    expect(isWsl1('Linux version 6.8.0-45-generic (buildd@lcy02-amd64-075)')).toBe(false);
    expect(isWsl1(undefined)).toBe(false);
  });
  it('--argv0 support from --help', () => {
    expect(helpHasArgv0('usage: bwrap [OPTIONS...]\n    --argv0 VALUE    Set argv[0]\n')).toBe(true);
    expect(helpHasArgv0('usage: bwrap [OPTIONS...]\n    --args FD   Parse NUL-separated args from FD\n')).toBe(false);
  });
  it('failures name the step and the fix (AppArmor first, sysctl last; containers get container options)', () => {
    const uid = classifyBwrapFailure('bwrap: setting up uid map: Permission denied\n');
    expect(uid.step).toBe('uid-map');
    expect(uid.fix.indexOf('AppArmor')).toBeLessThan(uid.fix.indexOf('sysctl'));
    expect(classifyBwrapFailure('bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted').step).toBe('loopback');
    const c = classifyBwrapFailure('bwrap: Failed to make / slave: Permission denied');
    expect(c.step).toBe('container');
    expect(c.fix).toMatch(/seccomp=unconfined/);
    expect(classifyBwrapFailure('bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces').step).toBe('userns');
    expect(interpretUsernsProbe(0, '')).toEqual({ ok: true });
    expect(interpretUsernsProbe(1, 'bwrap: setting up uid map: Permission denied')).toEqual({ ok: false, step: 'uid-map', detail: 'bwrap: setting up uid map: Permission denied' });
  });
});

describe('route', () => {
  const ro = pol([{ path: '/', access: 'read' }]);
  const ww = pol([{ path: '/', access: 'read' }, { path: '/repo', access: 'write' }, { path: '/repo/.git', access: 'read' }]);
  const bw = { path: '/usr/bin/bwrap', source: 'system' as const };
  const works = () => ({ ok: true });
  const uidMap = () => ({ ok: false, step: 'uid-map' as const, detail: 'bwrap: setting up uid map: Permission denied' });
  const base = { choice: 'auto' as const, landlockAbi: () => 6, kindOf: dirs('/', '/repo', '/repo/.git'), wsl1: false, bwrap: bw, probeBwrap: works };
  it('bubblewrap for every sandboxed mode where it can start', () => {
    expect(decideLinuxRoute({ ...base, policy: ro }).kind).toBe('bwrap');
    expect(decideLinuxRoute({ ...base, policy: ww }).kind).toBe('bwrap');
  });
  it('Landlock + seccomp only as the fallback where bubblewrap cannot start, and only for what Landlock can express', () => {
    const fb = decideLinuxRoute({ ...base, policy: ro, probeBwrap: uidMap });
    expect(fb).toMatchObject({ kind: 'landlock', fallback: expect.stringMatching(/uid-map/) });
    expect(decideLinuxRoute({ ...base, policy: ro, bwrap: undefined })).toMatchObject({ kind: 'landlock', fallback: 'no bubblewrap found' });
    expect(decideLinuxRoute({ ...base, policy: ww, probeBwrap: uidMap })).toMatchObject({ kind: 'refuse', code: 'SANDBOX_UNSUPPORTED', message: expect.stringMatching(/uid-map.*\.git/) });
    expect(decideLinuxRoute({ ...base, policy: ww, bwrap: undefined })).toMatchObject({ kind: 'refuse', code: 'SANDBOX_BWRAP_MISSING' });
    expect(decideLinuxRoute({ ...base, policy: ro, landlockAbi: () => -38, bwrap: undefined })).toMatchObject({ kind: 'refuse', code: 'SANDBOX_BWRAP_MISSING' });
  });
  it('forced routes: Landlock on an inexpressible policy refuses with the reason, never runs weaker; bwrap forced runs bwrap', () => {
    expect(decideLinuxRoute({ ...base, policy: ww, choice: 'landlock' })).toMatchObject({ kind: 'refuse', code: 'SANDBOX_UNSUPPORTED', message: expect.stringMatching(/\.git/) });
    expect(decideLinuxRoute({ ...base, policy: ro, choice: 'landlock' }).kind).toBe('landlock');
    expect(decideLinuxRoute({ ...base, policy: ro, choice: 'bwrap', probeBwrap: uidMap }).kind).toBe('bwrap');
  });
  it('WSL1 refuses before bwrap; danger-full-access is unsandboxed', () => {
    expect(decideLinuxRoute({ ...base, policy: ww, wsl1: true })).toMatchObject({ kind: 'refuse', code: 'SANDBOX_WSL1' });
    expect(decideLinuxRoute({ ...base, policy: { ...ro, unrestricted: true } }).kind).toBe('unsandboxed');
  });
});

describe('helper boundary', () => {
  it('policy JSON is validated into the typed form', () => {
    const ok = parsePolicyJson(JSON.stringify(pol([{ path: '/', access: 'read' }])));
    expect(ok.rules).toEqual([{ path: '/', access: 'read' }]);
    for (const bad of ['{', '[]', '{"unrestricted":false}', JSON.stringify({ ...pol([]), rules: [{ path: 'rel', access: 'read' }] }), JSON.stringify({ ...pol([]), rules: [{ path: '/', access: 'rw' }] })]) {
      expect(() => parsePolicyJson(bad)).toThrow(expect.objectContaining({ code: 'SANDBOX_POLICY_INVALID', exitCode: 125 }));
    }
  });
  it('helper args', () => {
    expect(parseHelperArgs(['--policy', '{}', '--route', 'bwrap', '--', 'ls', '-l'])).toMatchObject({ policy: '{}', route: 'bwrap', command: ['ls', '-l'] });
    expect(parseHelperArgs(['--inner-seccomp', 'netns', '--', 'ls'])).toMatchObject({ inner: 'netns', command: ['ls'] });
    expect(() => parseHelperArgs(['--policy', '{}'])).toThrow(/missing command/);
    expect(() => parseHelperArgs(['--route', 'x', '--', 'ls'])).toThrow(/unknown route/);
  });
  it('shell quoting in --explain', () => {
    expect(shellQuote('/a/b')).toBe('/a/b');
    expect(shellQuote("it's a b")).toBe(`'it'\\''s a b'`);
  });
});

describe('sandbox test hooks: parsed once from the environment', () => {
  it('keeps a fake /proc/version and a simulated no-Landlock ABI; drops what cannot simulate anything', async () => {
    const { sandboxHooksFromEnv } = await import('../../sandbox/index.js');
    expect(sandboxHooksFromEnv({ CODEX_TS_PROC_VERSION_FILE: '/tmp/v', CODEX_TS_LANDLOCK_ABI: '-38' })).toEqual({ procVersionFile: '/tmp/v', landlockAbi: -38 });
    expect(sandboxHooksFromEnv({ CODEX_TS_LANDLOCK_ABI: '3' })).toEqual({});
    expect(sandboxHooksFromEnv({ CODEX_TS_LANDLOCK_ABI: 'x', CODEX_TS_PROC_VERSION_FILE: '' })).toEqual({});
  });
});
