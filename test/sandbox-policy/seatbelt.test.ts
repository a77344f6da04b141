// Seatbelt profile generator, tested as text and through the SBPL reader in sbpl.ts (last matching
// rule wins). sandbox-exec does not exist on Linux: these tests are how the macOS profile is verified.
//
// Golden files hold the profile followed by its -D parameters as SBPL comments, with the temp root
// written as $ROOT. A test run never writes them: a missing or different golden fails. After an
// intended change, regenerate with `UPDATE_GOLDEN=1 npx vitest run test/sandbox-policy/seatbelt.test.ts`
// and review the diff.
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  darwinUserCacheDir,
  globToSeatbeltRegex,
  isWithin,
  resolvePolicy,
  seatbeltArgv,
  seatbeltProfile,
  type Access,
  type EffectivePolicy,
  type FsRule,
  type SeatbeltOptions,
} from '../../sandbox/index.js';
import { envFor, tree, type Tree } from './fixture.js';
import { parseSbpl, type Query } from './sbpl.js';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');

function render(policy: EffectivePolicy, t: Tree, opts: SeatbeltOptions = {}): string {
  const { profile, params } = seatbeltProfile(policy, opts);
  const lines = params.map(([k, v]) => `;; -D ${k}=${v.split(t.root).join('$ROOT')}`);
  return `${profile.split(t.root).join('$ROOT')}\n;; parameters\n${lines.join('\n')}\n`;
}

function golden(name: string, text: string): void {
  const file = path.join(GOLDEN, `${name}.sb`);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, text);
  if (!fs.existsSync(file)) throw new Error(`missing golden file ${file} (regenerate with UPDATE_GOLDEN=1, see the header of this test)`);
  expect(text).toBe(fs.readFileSync(file, 'utf8'));
}

function resolve(t: Tree, config: Record<string, unknown>, cwd = 'ws', env: Record<string, string> = {}): EffectivePolicy {
  return resolvePolicy({ config, cwd: t.p(cwd), env: envFor(t, env), os: 'macos' });
}

const noTmp = { exclude_slash_tmp: true, exclude_tmpdir_env_var: true };
const split = (fsTable: Record<string, unknown>, network?: boolean) => ({
  default_permissions: 'p',
  permissions: { p: { filesystem: fsTable, ...(network === undefined ? {} : { network: { enabled: network } }) } },
});

describe('the SBPL reader itself', () => {
  it('the last matching rule decides; operations match by prefix wildcard; filters are ORed', () => {
    const sb = parseSbpl(
      `(version 1)\n(deny default)\n(allow file-read* (subpath "/a"))\n(deny file-read-data (literal "/a/x") (regex #"^/a/y"))\n(allow file-read-data (subpath "/a/x/z"))`,
      [],
    );
    expect(sb.evaluate({ op: 'file-read-data', path: '/a/f' })).toBe('allow');
    expect(sb.evaluate({ op: 'file-read-metadata', path: '/a/x' })).toBe('allow');
    expect(sb.evaluate({ op: 'file-read-data', path: '/a/x' })).toBe('deny');
    expect(sb.evaluate({ op: 'file-read-data', path: '/a/yes' })).toBe('deny');
    expect(sb.evaluate({ op: 'file-read-data', path: '/a/x/z' })).toBe('allow');
    expect(sb.evaluate({ op: 'file-write-data', path: '/a/f' })).toBe('deny');
    expect(sb.evaluate({ op: 'file-read-data', path: '/b' })).toBe('deny');
  });

  it('is strict: undefined parameters, unknown filters and unbalanced text throw', () => {
    expect(() => parseSbpl('(deny default)(allow file-read* (subpath (param "NOPE")))', [])).toThrow(/undefined parameter/);
    const odd = parseSbpl('(deny default)(allow file-read* (frobnicate "x"))', []);
    expect(() => odd.evaluate({ op: 'file-read-data', path: '/x' })).toThrow(/unknown SBPL filter/);
    expect(() => parseSbpl('(deny default', [])).toThrow(/unbalanced/);
  });
});

describe('Seatbelt profile golden files', () => {
  it('read-only', () => {
    const t = tree({ 'ws/': '' });
    golden('read-only', render(resolve(t, { sandbox_mode: 'read-only' }), t));
  });

  it('workspace-write with a .git directory', () => {
    const t = tree({ 'ws/.git/HEAD': '', 'ws/src/': '' });
    golden('workspace-write-git-dir', render(resolve(t, { sandbox_mode: 'workspace-write', sandbox_workspace_write: noTmp }), t));
  });

  it('workspace-write with a .git pointer file and its gitdir target', () => {
    const t = tree({ 'main/.git/worktrees/wt/HEAD': '', 'wt/.git': 'gitdir: ../main/.git/worktrees/wt\n' });
    golden(
      'workspace-write-gitdir-pointer',
      render(resolve(t, { sandbox_mode: 'workspace-write', sandbox_workspace_write: { ...noTmp, writable_roots: [t.p('main')] } }, 'wt'), t),
    );
  });

  // $TMPDIR inside the tree rather than /tmp: the golden file must not depend on what /tmp holds.
  it('extra writable roots and $TMPDIR', () => {
    const t = tree({ 'ws/': '', 'cache/': '', 'out/': '', 'tmpd/': '' });
    const p = resolve(t, { sandbox_mode: 'workspace-write', sandbox_workspace_write: { exclude_slash_tmp: true, writable_roots: [t.p('cache'), t.p('out')] } }, 'ws', {
      TMPDIR: t.p('tmpd'),
    });
    golden('workspace-write-extra-roots', render(p, t));
  });

  it('network on, with the per-user cache folder', () => {
    const t = tree({ 'ws/': '', 'C/': '' });
    golden('workspace-write-network', render(resolve(t, { sandbox_mode: 'workspace-write', sandbox_workspace_write: { ...noTmp, network_access: true } }), t, { userCacheDir: t.p('C') }));
  });

  it('network off with a Unix-socket allowlist', () => {
    const t = tree({ 'ws/': '', 'run/': '' });
    golden('read-only-unix-socket-allowlist', render(resolve(t, { sandbox_mode: 'read-only' }), t, { allowUnixSockets: [t.p('run', 'agent.sock')] }));
  });

  it('seed split example: :root=read, /repo=write, /repo/a=none, /repo/a/b=write', () => {
    const t = tree({ 'repo/a/b/': '', 'repo/c/': '' });
    const p = resolve(t, split({ ':root': 'read', [t.p('repo')]: 'write', [t.p('repo/a')]: 'none', [t.p('repo/a/b')]: 'write' }), 'repo');
    golden('split-seed-reopen', render(p, t));
  });

  it('split policy with carveouts: exact read roots, none carveout, reopened writable child, read-only carveout', () => {
    const t = tree({ 'usr/': '', 'repo/a/b/': '', 'repo/docs/': '' });
    const p = resolve(
      t,
      split({ [t.p('usr')]: 'read', [t.p('repo')]: 'write', [t.p('repo/a')]: 'none', [t.p('repo/a/b')]: 'write', [t.p('repo/docs')]: 'read' }),
      'repo',
    );
    golden('split-carveouts', render(p, t));
  });

  it('spec example: :workspace_roots scoped entries with a private folder and a none glob', () => {
    const t = tree({ 'ws/private/': '', 'ws/app/.env': 'x', 'ws/src/': '' });
    const p = resolve(t, split({ ':root': 'read', ':workspace_roots': { '.': 'write', private: 'none', '**/*.env': 'none' }, glob_scan_max_depth: 3 }, false));
    golden('split-workspace-roots-globs', render(p, t));
  });

  it(':minimal platform defaults with writable workspace roots', () => {
    const t = tree({ 'ws/': '' });
    golden('split-minimal', render(resolve(t, split({ ':minimal': 'read', ':workspace_roots': 'write' })), t));
  });
});

describe('paths are parameters, never spliced', () => {
  const weird = ['with space', 'quo"te', "apo'strophe", 'paren(s)', 'ünïcødé ✓', 'semi;colon', 'back\\slash', 'hash#pipe|'];

  it.each(weird)('%s', (name) => {
    const t = tree({ [`${name}/ws/`]: '' });
    const p = resolve(t, { sandbox_mode: 'workspace-write', sandbox_workspace_write: noTmp }, `${name}/ws`);
    const { profile, params } = seatbeltProfile(p);
    expect(profile).not.toContain(name);
    expect(profile).not.toContain(t.root);
    expect(params).toContainEqual(['WRITABLE_ROOT_0', t.p(name, 'ws')]);
    // the profile is identical to the one for a plain path: only parameter values differ
    const plain = tree({ 'plain/ws/': '' });
    expect(seatbeltProfile(resolve(plain, { sandbox_mode: 'workspace-write', sandbox_workspace_write: noTmp }, 'plain/ws')).profile).toBe(profile);
    const argv = seatbeltArgv(p, ['bash', '-c', 'echo hi']);
    expect(argv.slice(0, 3)).toEqual(['/usr/bin/sandbox-exec', '-p', profile]);
    expect(argv).toContain(`-DWRITABLE_ROOT_0=${t.p(name, 'ws')}`);
    expect(argv.slice(-4)).toEqual(['--', 'bash', '-c', 'echo hi']);
    // the reader sees the same answers for the weird path as for the plain one
    const sb = parseSbpl(profile, params);
    expect(sb.evaluate({ op: 'file-write-data', path: t.p(name, 'ws', 'f') })).toBe('allow');
    expect(sb.evaluate({ op: 'file-write-data', path: t.p(name, 'ws', '.git', 'config') })).toBe('deny');
  });

  it('a none glob with a quote cannot be expressed as a Seatbelt regex: refused, not dropped', () => {
    const t = tree({ 'q"ws/': '' });
    const p = resolve(t, split({ ':root': 'read', ':workspace_roots': { '.': 'write', '*.pem': 'none' } }), 'q"ws');
    expect(() => seatbeltProfile(p)).toThrow(/SANDBOX_UNSUPPORTED|cannot express/);
  });
});

/** Evaluate one profile: what a process may do to a path. */
function reader(policy: EffectivePolicy, opts: SeatbeltOptions = {}) {
  const { profile, params } = seatbeltProfile(policy, opts);
  const sb = parseSbpl(profile, params);
  // every parameter passed is used, every parameter used is passed (parseSbpl throws on undefined ones)
  expect(new Set(params.map(([k]) => k))).toEqual(sb.usedParams);
  const may = (op: string, p: string, extra: Partial<Query> = {}) => sb.evaluate({ op, path: p, ...extra }) === 'allow';
  return { sb, profile, may, canRead: (p: string) => may('file-read-data', p), canWrite: (p: string) => may('file-write-data', p) && may('file-write-create', p) };
}

// The probe matrix of the Linux route (test/sandbox-linux/fixture.ts), asked of the Seatbelt profile.
// A symlink is followed before Seatbelt matches a path, so the escape probe asks about its target.
describe('probe matrix: same answers as the Linux route', () => {
  const t = tree({
    'ws/.git/HEAD': '',
    'ws/.codex/': '',
    'ws/link': '-> ../outside',
    'outside/': '',
    'home/': '',
    'gd/worktrees/wt/HEAD': '',
    'wt/.git': `gitdir: ../gd/worktrees/wt\n`,
    'split/a/b/': '',
    'split/a/secret': 'x',
    'split/c/': '',
  });
  const probes = (policy: EffectivePolicy, cwd: string): Record<string, 'ok' | 'no'> => {
    const r = reader(policy);
    const yes = (b: boolean) => (b ? 'ok' : 'no');
    return {
      read_etc: yes(r.canRead('/etc/hostname')),
      read_ws: yes(r.canRead(t.p('ws'))),
      write_cwd: yes(r.canWrite(path.join(cwd, 'w'))),
      write_tmp: yes(r.canWrite('/tmp/codex-sbx-probe')),
      write_home: yes(r.canWrite(t.p('home/w'))),
      write_outside: yes(r.canWrite(t.p('outside/w'))),
      write_symlink_escape: yes(r.canWrite(path.join(fs.realpathSync(t.p('ws/link')), 's'))),
      write_git: yes(r.canWrite(t.p('ws/.git/w'))),
      write_codex: yes(r.canWrite(t.p('ws/.codex/w'))),
      write_gitfile: yes(r.canWrite(t.p('wt/.git'))),
      write_gitdir_target: yes(r.canWrite(t.p('gd/worktrees/wt/w'))),
    };
  };
  const none = { write_cwd: 'no', write_tmp: 'no', write_home: 'no', write_outside: 'no', write_symlink_escape: 'no', write_git: 'no', write_codex: 'no', write_gitfile: 'no', write_gitdir_target: 'no' };

  it('read-only: reads allowed, every write denied', () => {
    expect(probes(resolve(t, { sandbox_mode: 'read-only' }), t.p('ws'))).toEqual({ read_etc: 'ok', read_ws: 'ok', ...none });
  });

  it('workspace-write: cwd and /tmp writable; .git, .codex, outside, symlink escape denied', () => {
    expect(probes(resolve(t, { sandbox_mode: 'workspace-write' }), t.p('ws'))).toEqual({ read_etc: 'ok', read_ws: 'ok', ...none, write_cwd: 'ok', write_tmp: 'ok' });
  });

  it('workspace-write in a worktree: the .git pointer file and its gitdir target stay read-only', () => {
    const p = resolve(t, { sandbox_mode: 'workspace-write', sandbox_workspace_write: { writable_roots: [t.p('gd')] } }, 'wt');
    expect(probes(p, t.p('wt'))).toMatchObject({ write_cwd: 'ok', write_tmp: 'ok', write_gitfile: 'no', write_gitdir_target: 'no' });
  });

  it('split /repo=write, /repo/a=none, /repo/a/b=write: c writable, a unlistable and unreadable, a/b read-write, outside read-only', () => {
    const p = resolve(t, split({ ':root': 'read', [t.p('split')]: 'write', [t.p('split/a')]: 'none', [t.p('split/a/b')]: 'write' }), 'split');
    const r = reader(p);
    expect(r.canWrite(t.p('split/c/x'))).toBe(true);
    expect(r.canRead(t.p('split/a'))).toBe(false);
    expect(r.may('file-read-data', t.p('split/a'))).toBe(false); // listing is reading the directory's data
    expect(r.canRead(t.p('split/a/secret'))).toBe(false);
    expect(r.canWrite(t.p('split/a/x'))).toBe(false);
    expect(r.canRead(t.p('split/a/b/y'))).toBe(true);
    expect(r.canWrite(t.p('split/a/b/y'))).toBe(true);
    expect(r.canRead(t.p('outside/f'))).toBe(true);
    expect(r.canWrite(t.p('outside/f'))).toBe(false);
    // a can be stat'ed (it is on the way to b) but not renamed away from its rule
    expect(r.may('file-read-metadata', t.p('split/a'))).toBe(true);
    expect(r.may('file-write-unlink', t.p('split'))).toBe(false);
  });
});

describe('threat-model rules, one by one', () => {
  const t = tree({ 'ws/src/': '', 'ws/secret/': '', 'run/': '' });
  const ww = resolve(t, { sandbox_mode: 'workspace-write', sandbox_workspace_write: noTmp });

  it('no unix socket (docker.sock, $SSH_AUTH_SOCK) when nothing is allowlisted; only the allowlist otherwise; never Docker', () => {
    const r = reader(ww);
    for (const s of ['/var/run/docker.sock', '/private/tmp/com.apple.launchd.x/Listeners', t.p('run/agent.sock')]) {
      expect(r.may('network-outbound', s, { unixSocket: 'remote' })).toBe(false);
      expect(r.may('network-bind', s, { unixSocket: 'local' })).toBe(false);
    }
    expect(r.sb.evaluate({ op: 'system-socket', socketDomain: 'AF_UNIX' })).toBe('deny');
    const a = reader(ww, { allowUnixSockets: [t.p('run')] });
    expect(a.sb.evaluate({ op: 'system-socket', socketDomain: 'AF_UNIX' })).toBe('allow');
    expect(a.may('network-outbound', t.p('run/agent.sock'), { unixSocket: 'remote' })).toBe(true);
    expect(a.may('network-outbound', '/var/run/other.sock', { unixSocket: 'remote' })).toBe(false);
    expect(a.may('network-outbound', t.p('run/docker.sock'), { unixSocket: 'remote' })).toBe(false);
  });

  it('sysctl: a named list; not other processes\' argv/environment nor the process list', () => {
    const r = reader(ww);
    for (const s of ['kern.procargs2', 'kern.proc.all', 'kern.proc.uid.501', 'kern.boottime']) expect(r.sb.evaluate({ op: 'sysctl-read', sysctl: s })).toBe('deny');
    for (const s of ['hw.ncpu', 'hw.memsize', 'kern.osrelease', 'hw.optional.arm.FEAT_SHA256']) expect(r.sb.evaluate({ op: 'sysctl-read', sysctl: s })).toBe('allow');
    expect(r.sb.evaluate({ op: 'sysctl-write', sysctl: 'kern.grade_cputype' })).toBe('allow');
  });

  it('terminals: other ttys cannot be opened even when the policy grants the whole disk; new ptys can', () => {
    const all = reader(resolve(t, split({ ':root': 'write' })));
    for (const r of [reader(ww), all]) {
      expect(r.may('file-read-data', '/dev/ttys003')).toBe(false);
      expect(r.may('file-write-data', '/dev/ttys003')).toBe(false);
      expect(r.may('file-read-data', '/dev/ttys003', { extensions: ['com.apple.sandbox.pty'] })).toBe(true);
      expect(r.may('file-read-data', '/dev/ptmx')).toBe(true);
    }
  });

  it('renaming a writable root is denied; writing inside it is not', () => {
    const r = reader(ww);
    expect(r.may('file-write-unlink', t.p('ws'))).toBe(false);
    expect(r.may('file-write-unlink', t.p('ws/src'))).toBe(true);
  });

  it('a folder between a writable root and a carve-out cannot be renamed', () => {
    const p = resolve(t, split({ ':root': 'read', [t.p('ws')]: 'write', [t.p('ws/secret/keys')]: 'none' }));
    const r = reader(p);
    expect(r.may('file-write-unlink', t.p('ws/secret'))).toBe(false);
    expect(r.may('file-write-unlink', t.p('ws/src'))).toBe(true);
    expect(r.canRead(t.p('ws/secret/keys/k'))).toBe(false);
    expect(r.may('process-exec', t.p('ws/secret/keys/tool'))).toBe(false);
    expect(r.may('process-exec', t.p('ws/src/tool'))).toBe(true);
  });

  it('a none glob is checked live: a file created after the profile was built is unreadable', () => {
    const p = resolve(t, split({ ':root': 'read', ':workspace_roots': { '.': 'write', '**/*.env': 'none' } }));
    const r = reader(p);
    expect(fs.existsSync(t.p('ws/src/later.env'))).toBe(false);
    expect(r.canRead(t.p('ws/src/later.env'))).toBe(false);
    expect(r.canRead(t.p('ws/deep/er/x.env/inside'))).toBe(false);
    expect(r.canRead(t.p('ws/src/main.ts'))).toBe(true);
    expect(r.canWrite(t.p('ws/src/later.env'))).toBe(false);
  });

  it('our own executable and native addon cache stay read-only inside a writable root (we load them later, unsandboxed)', () => {
    const opts = { protectedPaths: [t.p('ws/dist/codex'), t.p('ws/.cache/codex-ts/native'), '/usr/local/bin/codex'] };
    const r = reader(ww, opts);
    expect(r.canWrite(t.p('ws/dist/codex'))).toBe(false);
    expect(r.canWrite(t.p('ws/.cache/codex-ts/native/x.node'))).toBe(false);
    expect(r.may('file-write-unlink', t.p('ws/dist'))).toBe(false);
    expect(r.canWrite(t.p('ws/dist/other'))).toBe(true);
    // a path outside every writable root needs no rule (and gets none)
    expect(seatbeltProfile(ww, opts).params.map(([, v]) => v)).not.toContain('/usr/local/bin/codex');
  });

  it('our own executable stays readable and runnable under a :minimal policy that does not cover it', () => {
    const min = resolve(t, split({ ':minimal': 'read', ':workspace_roots': 'write' }));
    const exe = t.p('run/codex');
    expect(reader(min).may('file-read-data', exe)).toBe(false);
    const r = reader(min, { readablePaths: [exe] });
    expect(r.may('file-read-data', exe)).toBe(true);
    expect(r.may('process-exec', exe)).toBe(true);
    expect(r.canWrite(exe)).toBe(false);
    expect(r.canRead(t.p('run/other'))).toBe(false);
  });

  it('the per-user cache folder is writable only with the network on', () => {
    const on = resolve(t, { sandbox_mode: 'workspace-write', sandbox_workspace_write: { ...noTmp, network_access: true } });
    expect(reader(on, { userCacheDir: '/private/var/folders/ab/xyz/C' }).canWrite('/private/var/folders/ab/xyz/C/com.apple.trustd/x')).toBe(true);
    expect(reader(ww, { userCacheDir: '/private/var/folders/ab/xyz/C' }).canWrite('/private/var/folders/ab/xyz/C/x')).toBe(false);
  });
});

const SEGS = ['a', 'b', 'c', '.git', '.codex', '.agents', 'x'];
const pathArb = fc.array(fc.constantFrom(...SEGS), { minLength: 0, maxLength: 3 }).map((s) => '/' + s.join('/'));
const ruleArb = fc.record({ path: pathArb, access: fc.constantFrom<Access>('none', 'read', 'write') });
const policyArb = fc.record({
  rules: fc.uniqueArray(ruleArb, { selector: (r) => r.path, maxLength: 7 }),
  network: fc.boolean(),
  sockets: fc.subarray(['/s/one.sock', '/s/dir', '/var/run/docker.sock']),
});
const RUNS = Math.max(50, Number(process.env.SANDBOX_PROPERTY_RUNS ?? 2000) / 4);

describe('property: every generated profile holds the rules', () => {
  it(`for random policies (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(policyArb, ({ rules, network, sockets }) => {
        const policy: EffectivePolicy = { unrestricted: false, rules: rules as FsRule[], network, legacyEquivalent: false, cwd: '/a' };
        const r = reader(policy, { allowUnixSockets: sockets });
        const lines = r.profile.split('\n').filter((l) => !l.trimStart().startsWith(';'));
        // no blanket sysctl-read, no unconditional terminal open
        expect(lines).not.toContain('(allow sysctl-read)');
        expect(r.sb.evaluate({ op: 'sysctl-read', sysctl: 'kern.procargs2' })).toBe('deny');
        expect(r.may('file-read-data', '/dev/ttys001')).toBe(false);
        expect(r.may('file-write-data', '/dev/ttys001')).toBe(false);
        // Unix sockets: only under the allowlist, never Docker's
        const allowed = (s: string) => sockets.some((a) => isWithin(a, s)) && !s.endsWith('/docker.sock');
        for (const s of ['/s/one.sock', '/s/dir/x.sock', '/s/other.sock', '/var/run/docker.sock', '/tmp/ssh-agent.sock']) {
          expect(r.may('network-outbound', s, { unixSocket: 'remote' })).toBe(allowed(s));
        }
        if (sockets.length === 0) {
          expect(r.sb.evaluate({ op: 'system-socket', socketDomain: 'AF_UNIX' })).toBe('deny');
          expect(r.profile).not.toMatch(/unix-socket\)\)|AF_UNIX\)\)\n/);
        }
        // a deny for each protected name under each writable root, existing or not, unless the
        // table itself names a path at or below it (an explicit user entry decides there)
        for (const w of rules.filter((x) => x.access === 'write')) {
          for (const n of ['.git', '.agents', '.codex']) {
            const p = w.path === '/' ? `/${n}` : `${w.path}/${n}`;
            if (rules.some((x) => isWithin(p, x.path))) continue;
            expect(r.canWrite(p), `${p} under ${w.path}`).toBe(false);
            expect(r.canWrite(`${p}/hooks/pre-commit`)).toBe(false);
          }
          expect(r.may('file-write-unlink', w.path)).toBe(false);
        }
        if (!network) expect(r.may('network-outbound', '/x', { unixSocket: 'remote' })).toBe(false);
        return true;
      }),
      { numRuns: RUNS },
    );
  });
});

describe('property: protected names on a real tree, present or missing', () => {
  const NAMES = ['.git', '.agents', '.codex'] as const;
  const layoutArb = fc.record({
    git: fc.constantFrom('none', 'dir', 'file'),
    agents: fc.boolean(),
    codex: fc.boolean(),
    extraRoot: fc.boolean(),
    network: fc.boolean(),
  });
  it(`every name under every writable root is read-only (${Math.min(RUNS, 100)} runs)`, () => {
    fc.assert(
      fc.property(layoutArb, (l) => {
        const spec: Record<string, string> = { 'ws/src/': '', 'extra/': '', 'gd/HEAD': '' };
        if (l.git === 'dir') spec['ws/.git/HEAD'] = '';
        if (l.git === 'file') spec['ws/.git'] = 'gitdir: ../gd\n';
        if (l.agents) spec['ws/.agents/x'] = '';
        if (l.codex) spec['ws/.codex/x'] = '';
        const t = tree(spec);
        const p = resolve(t, {
          sandbox_mode: 'workspace-write',
          sandbox_workspace_write: { ...noTmp, network_access: l.network, writable_roots: l.extraRoot ? [t.p('extra'), t.p('gd')] : [] },
        });
        const r = reader(p);
        const roots = [t.p('ws'), ...(l.extraRoot ? [t.p('extra'), t.p('gd')] : [])];
        for (const root of roots) {
          expect(r.canWrite(path.join(root, 'new-file'))).toBe(true);
          for (const n of NAMES) {
            expect(r.canWrite(path.join(root, n)), `${root}/${n}`).toBe(false);
            expect(r.canWrite(path.join(root, n, 'hooks', 'pre-commit')), `${root}/${n}/hooks`).toBe(false);
            expect(r.may('file-write-unlink', path.join(root, n))).toBe(false);
          }
          expect(r.may('file-write-unlink', root)).toBe(false);
        }
        // the gitdir target is protected, unless the user made it a writable root themselves
        if (l.git === 'file' && !l.extraRoot) expect(r.canWrite(t.p('gd/HEAD'))).toBe(false);
        return true;
      }),
      { numRuns: Math.min(RUNS, 100) },
    );
  });
});

describe('argv and the per-user cache folder', () => {
  it('the cache folder is the C/ sibling of a macOS $TMPDIR; nothing otherwise', () => {
    expect(darwinUserCacheDir({ TMPDIR: '/var/folders/ab/cdef123/T/' }, 'linux')).toBe('/var/folders/ab/cdef123/C');
    expect(darwinUserCacheDir({ TMPDIR: '/tmp' }, 'linux')).toBeUndefined();
    expect(darwinUserCacheDir({}, 'linux')).toBeUndefined();
  });

  it('glob regexes: * and ? stay within a name, ** crosses names, classes, literal dots escaped', () => {
    const re = (g: string) => new RegExp(globToSeatbeltRegex(g));
    expect(re('/w/**/*.env').test('/w/.env')).toBe(true);
    expect(re('/w/**/*.env').test('/w/a/b/x.env')).toBe(true);
    expect(re('/w/**/*.env').test('/w/a/xenv')).toBe(false);
    expect(re('/w/*.pem').test('/w/a/k.pem')).toBe(false);
    expect(re('/w/k?.[ab]').test('/w/k1.a')).toBe(true);
    expect(re('/w/k?.[!ab]').test('/w/k1.a')).toBe(false);
    expect(re('/w/a+b(c)').test('/w/a+b(c)/x')).toBe(true);
  });

  it('refuses danger-full-access (it runs unsandboxed)', () => {
    const t = tree({ 'ws/': '' });
    expect(() => seatbeltProfile(resolve(t, { sandbox_mode: 'danger-full-access' }))).toThrow(expect.objectContaining({ code: 'INTERNAL', message: expect.stringMatching(/runs without Seatbelt/) }));
  });

  it('deny default is the first rule of every profile', () => {
    const t = tree({ 'ws/': '' });
    for (const p of [resolve(t, { sandbox_mode: 'read-only' }), resolve(t, { sandbox_mode: 'workspace-write', sandbox_workspace_write: { network_access: true } })]) {
      expect(parseSbpl(seatbeltProfile(p).profile, seatbeltProfile(p).params).rules[0]).toEqual({ action: 'deny', ops: ['default'], filters: [] });
    }
  });
});

