// Pure parts of the Linux sandbox: BPF filter, Landlock plan, bwrap argv, discovery, route, policy JSON.
import { describe, expect, it } from 'vitest';
import type { EffectivePolicy, FsRule } from '../../sandbox/types.js';
import { ARCH, buildNetworkFilter, evaluateFilter } from '../../sandbox/linux/seccomp-bpf.js';
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
const dirs = (...ds: string[]) => (p: string): PathKind => (ds.includes(p) ? 'dir' : p.endsWith('.txt') || p === '/dev/null' ? 'file' : 'missing');

describe('seccomp network filter', () => {
  const AF = { UNIX: 1, INET: 2, INET6: 10, NETLINK: 16, PACKET: 17, VSOCK: 40 };
  it('unix-only: socket/socketpair allowed only for AF_UNIX; connect/sendto/setsockopt untouched', () => {
    const f = buildNetworkFilter('unix-only');
    expect(f.length % 8).toBe(0);
    const x = (nr: number, arg0?: number) => evaluateFilter(f, { arch: ARCH.x86_64, nr, arg0 });
    expect(x(41, AF.UNIX)).toBe('allow');
    expect(x(53, AF.UNIX)).toBe('allow');
    for (const fam of [AF.INET, AF.INET6, AF.NETLINK, AF.PACKET, AF.VSOCK]) {
      expect(x(41, fam)).toBe('eperm');
      expect(x(53, fam)).toBe('eperm');
    }
    for (const nr of [42 /* connect */, 44 /* sendto */, 54 /* setsockopt */, 0, 1, 59]) expect(x(nr, AF.INET)).toBe('allow');
    expect(x(425)).toBe('eperm'); // io_uring_setup
    expect(x(0x40000000 + 41, AF.UNIX)).toBe('eperm'); // x32 ABI
  });
  it('netns: inet allowed (isolated by the namespace), vsock and packet refused', () => {
    const f = buildNetworkFilter('netns');
    const x = (nr: number, arg0?: number) => evaluateFilter(f, { arch: ARCH.x86_64, nr, arg0 });
    for (const fam of [AF.UNIX, AF.INET, AF.INET6, AF.NETLINK]) expect(x(41, fam)).toBe('allow');
    expect(x(41, AF.VSOCK)).toBe('eperm');
    expect(x(41, AF.PACKET)).toBe('eperm');
    expect(x(425)).toBe('allow');
  });
  it('i386 compat: socketcall refused whole, socket family-checked; unknown arch refused', () => {
    const f = buildNetworkFilter('unix-only');
    expect(evaluateFilter(f, { arch: ARCH.i386, nr: 102 })).toBe('eperm');
    expect(evaluateFilter(f, { arch: ARCH.i386, nr: 359, arg0: 1 })).toBe('allow');
    expect(evaluateFilter(f, { arch: ARCH.i386, nr: 359, arg0: 2 })).toBe('eperm');
    expect(evaluateFilter(f, { arch: ARCH.i386, nr: 3 })).toBe('allow');
    expect(evaluateFilter(f, { arch: 0xdeadbeef, nr: 0 })).toBe('eperm');
  });
});

describe('Landlock plan', () => {
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
      '--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-net', '--proc', '/proc', '--cap-drop', 'ALL', '--chdir', '/repo',
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
  it('missing protected path: placeholder under a writable root unless told not to materialise it', () => {
    const p = pol([{ path: '/', access: 'read' }, { path: '/repo', access: 'write' }, { path: '/repo/.codex', access: 'read' }, { path: '/repo/.git', access: 'read' }]);
    const r = build(p, dirs('/', '/repo'), { doNotMaterialize: new Set(['/repo/.git']) });
    expect(r.args.join(' ')).toContain('--perms 555 --tmpfs /repo/.codex --remount-ro /repo/.codex');
    expect(r.args).not.toContain('/repo/.git');
    expect(r.placeholders).toEqual(['/repo/.codex']);
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
  const base = { choice: 'auto' as const, landlockAbi: () => 6, kindOf: dirs('/', '/repo', '/repo/.git'), wsl1: false, bwrap: bw };
  it('legacy read-only → Landlock; protected .git under a writable root → bubblewrap', () => {
    expect(decideLinuxRoute({ ...base, policy: ro }).kind).toBe('landlock');
    const r = decideLinuxRoute({ ...base, policy: ww });
    expect(r.kind).toBe('bwrap');
  });
  it('no Landlock in the kernel → bubblewrap; and without bwrap a clear refusal', () => {
    expect(decideLinuxRoute({ ...base, policy: ro, landlockAbi: () => -38 }).kind).toBe('bwrap');
    const r = decideLinuxRoute({ ...base, policy: ro, landlockAbi: () => -38, bwrap: undefined });
    expect(r).toMatchObject({ kind: 'refuse', code: 'SANDBOX_BWRAP_MISSING' });
  });
  it('forced Landlock on an inexpressible policy refuses with the reason, never runs weaker', () => {
    expect(decideLinuxRoute({ ...base, policy: ww, choice: 'landlock' })).toMatchObject({ kind: 'refuse', code: 'SANDBOX_UNSUPPORTED', message: expect.stringMatching(/\.git/) });
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
