// resolvePolicy: config.toml tables + CLI flags → the effective per-path table.
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseTomlText } from 'smol-toml';
import { isCodexError } from '../../protocol/index.js';
import { layerConfig, type ConfigTable } from '../../core/config/index.js';
import { accessFor, readSandboxConfig, resolvePolicy, type ResolveInput } from '../../sandbox/index.js';
import { envFor, tree } from './fixture.js';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (isCodexError(e)) return e.code;
    throw e;
  }
  return undefined;
}

const profile = (fsTable: Record<string, unknown>, more: Record<string, unknown> = {}) => ({
  default_permissions: 'p',
  permissions: { p: { filesystem: fsTable, ...more } },
});

describe('legacy sandbox_mode', () => {
  it('read-only: reads everything, writes nothing, no network', () => {
    const t = tree({ 'ws/f': 'x' });
    const p = resolvePolicy({ config: { sandbox_mode: 'read-only' }, cwd: t.p('ws'), env: envFor(t), os: 'linux' });
    expect(p.rules).toEqual([{ path: '/', access: 'read' }]);
    expect(p.network).toBe(false);
    expect(p.legacyEquivalent).toBe(true);
    expect(p.detail.legacy).toEqual({ mode: 'read-only', networkAccess: false });
    for (const q of [t.p('ws/f'), '/tmp/x', t.p('home/x'), '/etc/passwd']) expect(accessFor(p, q)).toBe('read');
  });

  it('is the default when nothing selects a mode', () => {
    const t = tree({ 'ws/': '' });
    const p = resolvePolicy({ cwd: t.p('ws'), env: envFor(t), os: 'linux' });
    expect(p.detail.source).toEqual({ kind: 'legacy', mode: 'read-only', from: 'default' });
  });

  it('workspace-write: cwd, /tmp, $TMPDIR and extra roots writable; .git/.codex/.agents read-only; outside read-only', () => {
    const t = tree({ 'ws/.git/config': '', 'ws/.agents/a': '', 'ws/src/a.ts': '', 'extra/': '', 'tmpd/': '', 'out/': '' });
    const p = resolvePolicy({
      config: { sandbox_mode: 'workspace-write', sandbox_workspace_write: { writable_roots: [t.p('extra')] } },
      cwd: t.p('ws'),
      env: envFor(t, { TMPDIR: t.p('tmpd') }),
      os: 'linux',
    });
    expect(accessFor(p, t.p('ws/src/a.ts'))).toBe('write');
    expect(accessFor(p, t.p('ws/new/file'))).toBe('write');
    expect(accessFor(p, '/tmp/x')).toBe('write');
    expect(accessFor(p, t.p('tmpd/x'))).toBe('write');
    expect(accessFor(p, t.p('extra/x'))).toBe('write');
    expect(accessFor(p, t.p('ws/.git/config'))).toBe('read');
    expect(accessFor(p, t.p('ws/.codex/config.toml'))).toBe('read');
    expect(accessFor(p, t.p('ws/.agents/a'))).toBe('read');
    expect(accessFor(p, t.p('extra/.codex'))).toBe('read');
    expect(accessFor(p, t.p('out/x'))).toBe('read');
    expect(p.network).toBe(false);
    expect(p.legacyEquivalent).toBe(true);
    expect(p.detail.workspaceRoots).toEqual([t.p('ws'), t.p('extra')]);
    const kinds = p.detail.protectedPaths.filter((x) => x.root === t.p('ws')).map((x) => [x.kind, x.exists]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['git-dir', true],
        ['codex', false],
        ['agents', true],
      ]),
    );
  });

  it('workspace-write flags: network_access, exclude_tmpdir_env_var, exclude_slash_tmp, relative writable_roots', () => {
    const t = tree({ 'ws/rel/': '', 'tmpd/': '' });
    const p = resolvePolicy({
      config: {
        sandbox_mode: 'workspace-write',
        sandbox_workspace_write: { writable_roots: ['rel'], network_access: true, exclude_tmpdir_env_var: true, exclude_slash_tmp: true },
      },
      cwd: t.p('ws'),
      env: envFor(t, { TMPDIR: t.p('tmpd') }),
      os: 'linux',
    });
    expect(p.network).toBe(true);
    expect(accessFor(p, '/tmp/x')).toBe('read');
    expect(accessFor(p, t.p('tmpd/x'))).toBe('read');
    expect(p.detail.legacy).toEqual({
      mode: 'workspace-write',
      writableRoots: [t.p('ws/rel')],
      networkAccess: true,
      excludeTmpdirEnvVar: true,
      excludeSlashTmp: true,
    });
  });

  it('danger-full-access: unrestricted with network', () => {
    const t = tree({ 'ws/': '' });
    const p = resolvePolicy({ cli: { sandboxMode: 'danger-full-access' }, cwd: t.p('ws'), env: envFor(t), os: 'linux' });
    expect(p.unrestricted).toBe(true);
    expect(p.network).toBe(true);
    expect(accessFor(p, '/etc/passwd')).toBe('write');
  });

  it('--full-auto is workspace-write', () => {
    const t = tree({ 'ws/': '' });
    const p = resolvePolicy({ config: { sandbox_mode: 'read-only' }, cli: { fullAuto: true }, cwd: t.p('ws'), env: envFor(t), os: 'linux' });
    expect(p.detail.source).toEqual({ kind: 'legacy', mode: 'workspace-write', from: 'cli' });
    expect(accessFor(p, t.p('ws/x'))).toBe('write');
  });
});

describe('precedence (as Codex 0.169 reads it)', () => {
  const t = tree({ 'ws/': '' });
  const base = (config: Record<string, unknown>, cli: ResolveInput['cli'] = {}) =>
    resolvePolicy({ config, cli, cwd: t.p('ws'), env: envFor(t), os: 'linux' }).detail.source;
  const both = { sandbox_mode: 'read-only', ...profile({ ':root': 'write' }) };

  it('default_permissions beats sandbox_mode in the same config (measured on 0.169)', () => {
    expect(base(both)).toEqual({ kind: 'profile', name: 'p', from: 'config' });
  });
  it('-s beats default_permissions', () => {
    expect(base(both, { sandboxMode: 'workspace-write' })).toEqual({ kind: 'legacy', mode: 'workspace-write', from: 'cli' });
  });
  it('--permissions beats sandbox_mode and the config default', () => {
    expect(base({ sandbox_mode: 'read-only', permissions: { q: { filesystem: { ':root': 'read' } } } }, { permissions: 'q' })).toEqual({
      kind: 'profile',
      name: 'q',
      from: 'cli',
    });
  });
  it('-s together with --permissions is a usage error', () => {
    expect(codeOf(() => base(both, { sandboxMode: 'read-only', permissions: 'p' }))).toBe('SANDBOX_POLICY_INVALID');
  });
  it('-s read-only with --full-auto is a usage error', () => {
    expect(codeOf(() => base({}, { sandboxMode: 'read-only', fullAuto: true }))).toBe('SANDBOX_POLICY_INVALID');
  });
  it('[permissions] profiles with nothing selecting one is an error, as on 0.169 (no silent read-only)', () => {
    const profilesOnly = { permissions: { q: { filesystem: { ':root': 'read' } } } };
    expect(codeOf(() => base(profilesOnly))).toBe('SANDBOX_POLICY_INVALID');
    // Any explicit selection resolves it.
    expect(base({ ...profilesOnly, sandbox_mode: 'read-only' })).toEqual({ kind: 'legacy', mode: 'read-only', from: 'config' });
    expect(base(profilesOnly, { permissions: 'q' })).toEqual({ kind: 'profile', name: 'q', from: 'cli' });
    expect(base(profilesOnly, { sandboxMode: 'workspace-write' })).toEqual({ kind: 'legacy', mode: 'workspace-write', from: 'cli' });
  });
});

describe('[permissions] profiles', () => {
  it('spec example: /repo=write, /repo/a=none, /repo/a/b=write reopens b', () => {
    const t = tree({ 'repo/a/b/f': '', 'repo/a/g': '', 'repo/c/': '', 'out/f': '' });
    const p = resolvePolicy({
      config: profile({ ':root': 'read', [t.p('repo')]: 'write', [t.p('repo/a')]: 'none', [t.p('repo/a/b')]: 'write' }),
      cwd: t.p('repo'),
      env: envFor(t),
      os: 'linux',
    });
    expect(accessFor(p, t.p('repo/c/new'))).toBe('write');
    expect(accessFor(p, t.p('repo/a'))).toBe('none');
    expect(accessFor(p, t.p('repo/a/g'))).toBe('none');
    expect(accessFor(p, t.p('repo/a/b'))).toBe('write');
    expect(accessFor(p, t.p('repo/a/b/f'))).toBe('write');
    expect(accessFor(p, t.p('out/f'))).toBe('read');
    expect(p.legacyEquivalent).toBe(false);
  });

  it('ties resolve none > write > read (same path from two targets)', () => {
    const t = tree({ 'ws/': '' });
    const p = resolvePolicy({
      config: profile({ ':root': 'read', ':workspace_roots': { '.': 'read' }, [t.p('ws')]: 'write' }),
      cwd: t.p('ws'),
      env: envFor(t),
      os: 'linux',
    });
    expect(accessFor(p, t.p('ws/x'))).toBe('write');
    const q = resolvePolicy({
      config: profile({ ':root': 'read', ':workspace_roots': { '.': 'none' }, [t.p('ws')]: 'write' }),
      cwd: t.p('ws'),
      env: envFor(t),
      os: 'linux',
    });
    expect(accessFor(q, t.p('ws/x'))).toBe('none');
  });

  it('"deny" is accepted as a spelling of none (0.169 does)', () => {
    const t = tree({ 'ws/s/': '' });
    const p = resolvePolicy({ config: profile({ ':root': 'read', [t.p('ws/s')]: 'deny' }), cwd: t.p('ws'), env: envFor(t), os: 'linux' });
    expect(accessFor(p, t.p('ws/s/x'))).toBe('none');
  });

  it('built-ins selected directly: :read-only, :workspace (ignores [sandbox_workspace_write], as 0.169), :danger-full-access', () => {
    const t = tree({ 'ws/': '', 'extra/': '' });
    const r = (name: string) =>
      resolvePolicy({
        config: { default_permissions: name, sandbox_workspace_write: { writable_roots: [t.p('extra')], network_access: true, exclude_slash_tmp: true } },
        cwd: t.p('ws'),
        env: envFor(t),
        os: 'linux',
      });
    expect(r(':read-only').rules).toEqual([{ path: '/', access: 'read' }]);
    const w = r(':workspace');
    expect(accessFor(w, t.p('ws/x'))).toBe('write');
    expect(accessFor(w, t.p('extra/x'))).toBe('read');
    expect(accessFor(w, '/tmp/x')).toBe('write');
    expect(w.network).toBe(false);
    expect(r(':danger-full-access').unrestricted).toBe(true);
  });

  it('extends: child entries override the parent, scoped tables merge, network and depth inherit', () => {
    const t = tree({ 'ws/private/': '', 'opt/': '' });
    const p = resolvePolicy({
      config: {
        default_permissions: 'child',
        permissions: {
          base: { filesystem: { ':root': 'read', [t.p('opt')]: 'write', glob_scan_max_depth: 2 }, network: { enabled: true } },
          child: { extends: 'base', filesystem: { [t.p('opt')]: 'read', ':workspace_roots': { '.': 'write' } } },
          wchild: { extends: ':workspace', filesystem: { ':workspace_roots': { private: 'none' } } },
        },
      },
      cwd: t.p('ws'),
      env: envFor(t),
      os: 'linux',
    });
    expect(accessFor(p, t.p('opt/x'))).toBe('read');
    expect(accessFor(p, t.p('ws/x'))).toBe('write');
    expect(p.network).toBe(true);
    expect(p.detail.globScanMaxDepth).toBe(2);
    const w = resolvePolicy({ config: { default_permissions: 'wchild', permissions: { wchild: { extends: ':workspace', filesystem: { ':workspace_roots': { private: 'none' } } } } }, cwd: t.p('ws'), env: envFor(t), os: 'linux' });
    expect(accessFor(w, t.p('ws/x'))).toBe('write');
    expect(accessFor(w, t.p('ws/private/x'))).toBe('none');
    expect(accessFor(w, '/tmp/x')).toBe('write');
    expect(w.network).toBe(false);
  });

  it('special tokens: :tmpdir, :slash_tmp, :minimal, :project_roots alias, ~/ paths; unknown :tokens warn and are ignored', () => {
    const t = tree({ 'ws/sub/': '', 'tmpd/': '', 'home/cfg/': '' });
    const p = resolvePolicy({
      config: profile({ ':minimal': 'read', ':tmpdir': 'write', ':slash_tmp': 'read', ':project_roots': { sub: 'write' }, '~/cfg': 'read', ':future': 'write' }),
      cwd: t.p('ws'),
      env: envFor(t, { TMPDIR: t.p('tmpd') }),
      os: 'linux',
    });
    expect(accessFor(p, '/usr/bin/env')).toBe('read');
    expect(accessFor(p, '/etc/passwd')).toBe('read');
    expect(accessFor(p, '/root')).toBe('none');
    expect(accessFor(p, t.p('tmpd/x'))).toBe('write');
    expect(accessFor(p, '/tmp/x')).toBe('read');
    expect(accessFor(p, t.p('ws/sub/x'))).toBe('write');
    expect(accessFor(p, t.p('ws/x'))).toBe('none');
    expect(accessFor(p, t.p('home/cfg/x'))).toBe('read');
    expect(p.detail.minimalReadRoots).toContain('/usr');
    expect(p.detail.warnings.join('\n')).toContain('`:future`');
  });

  it('trailing /** on read/write means the subtree; scoped none globs expand against the disk up to glob_scan_max_depth', () => {
    const t = tree({ 'ws/.env': '', 'ws/a/.env': '', 'ws/a/b/c/.env': '', 'ws/a/keep': '', 'data/x': '' });
    const p = resolvePolicy({
      config: profile({ ':root': 'read', [`${t.p('data')}/**`]: 'write', ':workspace_roots': { '.': 'write', '**/.env': 'none' }, glob_scan_max_depth: 3 }),
      cwd: t.p('ws'),
      env: envFor(t),
      os: 'linux',
    });
    expect(accessFor(p, t.p('data/x'))).toBe('write');
    expect(accessFor(p, t.p('ws/.env'))).toBe('none');
    expect(accessFor(p, t.p('ws/a/.env'))).toBe('none');
    expect(accessFor(p, t.p('ws/a/keep'))).toBe('write');
    // depth 4 below the workspace root: beyond glob_scan_max_depth = 3
    expect(accessFor(p, t.p('ws/a/b/c/.env'))).toBe('write');
    expect(p.detail.denyGlobs).toEqual([`${t.p('ws')}/**/.env`]);
  });

  it('a profile with no filesystem table grants nothing and warns', () => {
    const t = tree({ 'ws/': '' });
    const p = resolvePolicy({ config: { default_permissions: 'e', permissions: { e: { network: { enabled: false } } } }, cwd: t.p('ws'), env: envFor(t), os: 'linux' });
    expect(p.rules).toEqual([]);
    expect(accessFor(p, '/etc/passwd')).toBe('none');
    expect(p.detail.warnings[0]).toMatch(/does not define any recognized filesystem entries/);
  });
});

describe('canonical paths', () => {
  it('symlinked roots resolve to their targets; a write through a symlink pointing outside is not a write', () => {
    const t = tree({ 'real/ws/f': '', 'outside/secret': '', 'real/ws/link': '-> ../../outside', 'ln': '-> real/ws' });
    const p = resolvePolicy({ config: { sandbox_mode: 'workspace-write', sandbox_workspace_write: { exclude_slash_tmp: true } }, cwd: t.p('ln'), env: envFor(t), os: 'linux' });
    expect(p.cwd).toBe(t.p('real/ws'));
    expect(p.rules).toContainEqual({ path: t.p('real/ws'), access: 'write' });
    expect(accessFor(p, t.p('ln/f'))).toBe('write');
    expect(accessFor(p, t.p('real/ws/link/secret'))).toBe('read');
  });

  it('a path that does not exist yet resolves against its nearest existing parent (through symlinks)', () => {
    const t = tree({ 'real/': '', 'ln': '-> real' });
    const p = resolvePolicy({ config: profile({ ':root': 'read', [t.p('ln/not/yet')]: 'write' }), cwd: t.p('real'), env: envFor(t), os: 'linux' });
    expect(p.rules).toContainEqual({ path: t.p('real/not/yet'), access: 'write' });
    expect(accessFor(p, t.p('ln/not/yet/file'))).toBe('write');
  });

  it('.. in absolute entries is resolved lexically (0.169 does the same)', () => {
    const t = tree({ 'a/': '', 'b/': '' });
    const p = resolvePolicy({ config: profile({ [`${t.p('a')}/../b`]: 'write' }), cwd: t.p('a'), env: envFor(t), os: 'linux' });
    expect(p.rules.map((r) => r.path)).toContain(t.p('b'));
  });
});

describe('protected paths', () => {
  it('.git pointer file and its resolved gitdir target are read-only (worktree outside the workspace)', () => {
    const t = tree({ 'main/.git/worktrees/wt/HEAD': '', 'wt/.git': 'gitdir: ../main/.git/worktrees/wt\n', 'wt/f': '' });
    const p = resolvePolicy({
      config: { sandbox_mode: 'workspace-write', sandbox_workspace_write: { writable_roots: [t.p('main')] } },
      cwd: t.p('wt'),
      env: envFor(t),
      os: 'linux',
    });
    expect(accessFor(p, t.p('wt/.git'))).toBe('read');
    expect(accessFor(p, t.p('wt/f'))).toBe('write');
    expect(accessFor(p, t.p('main/.git/worktrees/wt/HEAD'))).toBe('read');
    expect(accessFor(p, t.p('main/.git/config'))).toBe('read');
    expect(p.detail.protectedPaths.map((x) => [x.kind, x.path])).toEqual(
      expect.arrayContaining([
        ['git-file', t.p('wt/.git')],
        ['gitdir-target', t.p('main/.git/worktrees/wt')],
        ['git-dir', t.p('main/.git')],
      ]),
    );
  });

  it('a protection never grants: a gitdir target outside every readable root stays none', () => {
    const t = tree({ 'hidden/gd/HEAD': '', 'wt/.git': `gitdir: ${'../hidden/gd'}\n` });
    const p = resolvePolicy({ config: profile({ ':workspace_roots': { '.': 'write' } }), cwd: t.p('wt'), env: envFor(t), os: 'linux' });
    expect(accessFor(p, t.p('hidden/gd/HEAD'))).toBe('none');
    expect(accessFor(p, t.p('wt/.git'))).toBe('read');
  });

  it('an explicit user entry on a protected path wins (more specific than the automatic protection)', () => {
    const t = tree({ 'ws/.git/HEAD': '', 'ws/.codex/': '' });
    const p = resolvePolicy({
      config: profile({ ':root': 'read', ':workspace_roots': { '.': 'write', '.git': 'write' } }),
      cwd: t.p('ws'),
      env: envFor(t),
      os: 'linux',
    });
    expect(accessFor(p, t.p('ws/.git/HEAD'))).toBe('write');
    expect(accessFor(p, t.p('ws/.codex/x'))).toBe('read');
  });

  it('a writable root inside a protected path is not writable', () => {
    const t = tree({ 'ws/.git/hooks/': '', 'ws/.codex/tmp/': '' });
    const p = resolvePolicy({
      config: { sandbox_mode: 'workspace-write', sandbox_workspace_write: { writable_roots: [t.p('ws/.git/hooks'), t.p('ws/.codex/tmp')], exclude_slash_tmp: true } },
      cwd: t.p('ws'),
      env: envFor(t),
      os: 'linux',
    });
    expect(accessFor(p, t.p('ws/.git/hooks/pre-commit'))).toBe('read');
    expect(accessFor(p, t.p('ws/.codex/tmp/x'))).toBe('read');
  });

  it('a missing .git, .agents and .codex are protected too (a planted .git/config runs code at the next git status)', () => {
    const t = tree({ 'ws/f': '' });
    const p = resolvePolicy({ config: { sandbox_mode: 'workspace-write' }, cwd: t.p('ws'), env: envFor(t), os: 'linux' });
    const mine = p.detail.protectedPaths.filter((x) => x.root === t.p('ws'));
    expect(mine.map((x) => [x.kind, x.exists]).sort()).toEqual([['agents', false], ['codex', false], ['git-dir', false]]);
    for (const n of ['.git', '.agents', '.codex']) expect(accessFor(p, t.p(`ws/${n}/config`))).toBe('read');
  });

  it('under $TMPDIR and /tmp as well (git discovery walks up into them); a writable root that does not exist has none', () => {
    const t = tree({ 'ws/': '', 'tmpd/': '' });
    const p = resolvePolicy({
      config: { sandbox_mode: 'workspace-write', sandbox_workspace_write: { exclude_slash_tmp: true, writable_roots: [t.p('later')] } },
      cwd: t.p('ws'),
      env: envFor(t, { TMPDIR: t.p('tmpd') }),
      os: 'linux',
    });
    expect(accessFor(p, t.p('tmpd/.git/config'))).toBe('read');
    expect(accessFor(p, t.p('tmpd/other'))).toBe('write');
    expect(p.detail.protectedPaths.filter((x) => x.root === t.p('later'))).toEqual([]);
    expect(accessFor(p, t.p('later/.git'))).toBe('write');
  });

  it('a .git symlink protects where it points too', () => {
    const t = tree({ 'store/gd/HEAD': '', 'ws/.git': '-> ../store/gd' });
    const p = resolvePolicy({
      config: { sandbox_mode: 'workspace-write', sandbox_workspace_write: { writable_roots: [t.p('store')] } },
      cwd: t.p('ws'),
      env: envFor(t),
      os: 'linux',
    });
    expect(accessFor(p, t.p('store/gd/HEAD'))).toBe('read');
    expect(accessFor(p, t.p('store/other'))).toBe('write');
  });
});

describe('bad input: stable codes, never a weaker fallback', () => {
  const t = tree({ 'ws/': '' });
  const r = (config: Record<string, unknown>, cli: ResolveInput['cli'] = {}) => () =>
    resolvePolicy({ config, cli, cwd: t.p('ws'), env: envFor(t), os: 'linux' });

  it.each([
    ['unknown sandbox_mode', r({ sandbox_mode: 'bogus' }), 'SANDBOX_UNKNOWN_MODE'],
    ['unknown -s mode', r({}, { sandboxMode: 'full' }), 'SANDBOX_UNKNOWN_MODE'],
    ['unknown access level', r(profile({ ':root': 'rw' })), 'SANDBOX_UNKNOWN_ACCESS'],
    ['unknown scoped access level', r(profile({ ':workspace_roots': { '.': 'all' } })), 'SANDBOX_UNKNOWN_ACCESS'],
    ['undefined profile', r({ default_permissions: 'zz', permissions: { p: {} } }), 'SANDBOX_UNKNOWN_PROFILE'],
    ['profile without [permissions]', r({ default_permissions: 'zz' }), 'SANDBOX_UNKNOWN_PROFILE'],
    ['--permissions names nothing', r({}, { permissions: 'nope' }), 'SANDBOX_UNKNOWN_PROFILE'],
    ['unknown built-in', r({ default_permissions: ':bogus' }), 'SANDBOX_UNKNOWN_PROFILE'],
    ['extends an undefined profile', r({ default_permissions: 'p', permissions: { p: { extends: 'nope' } } }), 'SANDBOX_UNKNOWN_PROFILE'],
    ['extends cycle', r({ default_permissions: 'p', permissions: { p: { extends: 'q' }, q: { extends: 'p' } } }), 'SANDBOX_POLICY_INVALID'],
    ['extends :danger-full-access', r({ default_permissions: 'p', permissions: { p: { extends: ':danger-full-access' } } }), 'SANDBOX_POLICY_INVALID'],
    ['reserved profile name', r({ permissions: { ':mine': {} } }), 'SANDBOX_POLICY_INVALID'],
    ['relative top-level path', r(profile({ 'rel/x': 'write' })), 'SANDBOX_BAD_PATH'],
    ['scoped subpath escaping with ..', r(profile({ ':workspace_roots': { '../x': 'write' } })), 'SANDBOX_BAD_PATH'],
    ['scoped subpath with inner ..', r(profile({ ':workspace_roots': { 'a/../../b': 'write' } })), 'SANDBOX_BAD_PATH'],
    ['scoped absolute subpath', r(profile({ ':workspace_roots': { '/etc': 'write' } })), 'SANDBOX_BAD_PATH'],
    ['glob with write access', r(profile({ ':workspace_roots': { '**/*.env': 'write' } })), 'SANDBOX_POLICY_INVALID'],
    ['nested entries under :tmpdir', r(profile({ ':tmpdir': { x: 'write' } })), 'SANDBOX_POLICY_INVALID'],
    ['glob_scan_max_depth = 0', r(profile({ ':root': 'read', glob_scan_max_depth: 0 })), 'SANDBOX_POLICY_INVALID'],
    ['writable_roots not strings', r({ sandbox_mode: 'workspace-write', sandbox_workspace_write: { writable_roots: [1] } }), 'CONFIG_TYPE'],
  ])('%s', (_name, f, code) => {
    expect(codeOf(f)).toBe(code);
  });

  it('an unknown -s mode is a usage error (exit 2)', () => {
    try {
      r({}, { sandboxMode: 'full' })();
      expect.unreachable();
    } catch (e) {
      expect(isCodexError(e) && e.exitCode).toBe(2);
    }
  });

  it('a path that does not exist is allowed', () => {
    const p = r(profile({ ':root': 'read', '/no/such/dir/anywhere': 'write' }))();
    expect(p.rules).toContainEqual({ path: '/no/such/dir/anywhere', access: 'write' });
  });
});

describe('the table is JSON data', () => {
  it('round-trips through JSON unchanged (the helper receives it that way)', () => {
    const t = tree({ 'ws/.git/': '' });
    const p = resolvePolicy({ config: { sandbox_mode: 'workspace-write' }, cwd: t.p('ws'), env: envFor(t), os: 'linux' });
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
    expect(fs.existsSync(p.cwd)).toBe(true);
  });
});

describe('--add-dir', () => {
  it('adds writable roots under workspace-write and workspace roots for a profile', () => {
    const t = tree({ 'ws/': '', 'more/private/': '' });
    const w = resolvePolicy({ config: { sandbox_mode: 'workspace-write' }, cli: { addDirs: ['../more'] }, cwd: t.p('ws'), env: envFor(t), os: 'linux' });
    expect(accessFor(w, t.p('more/x'))).toBe('write');
    expect(w.detail.legacy).toMatchObject({ writableRoots: [t.p('more')] });
    const p = resolvePolicy({
      config: profile({ ':root': 'read', ':workspace_roots': { '.': 'write', private: 'none' } }),
      cli: { addDirs: [t.p('more')] },
      cwd: t.p('ws'),
      env: envFor(t),
      os: 'linux',
    });
    expect(accessFor(p, t.p('more/x'))).toBe('write');
    expect(accessFor(p, t.p('more/private/x'))).toBe('none');
    const r = resolvePolicy({ config: { sandbox_mode: 'read-only' }, cli: { addDirs: [t.p('more')] }, cwd: t.p('ws'), env: envFor(t), os: 'linux' });
    expect(accessFor(r, t.p('more/x'))).toBe('read');
    expect(r.detail.warnings).toEqual(['--add-dir is ignored under read-only']);
  });
});

describe('worktrees: explicit grants on protected territory', () => {
  it('/main/.git = write also opens the worktree gitdir inside it; other protections stay', () => {
    const t = tree({ 'main/.git/worktrees/wt/HEAD': '', 'main/.git/objects/': '', 'wt/.git': 'gitdir: ../main/.git/worktrees/wt\n' });
    const p = resolvePolicy({
      config: profile({ ':root': 'read', ':workspace_roots': { '.': 'write' }, [t.p('main/.git')]: 'write' }),
      cwd: t.p('wt'),
      env: envFor(t),
      os: 'linux',
    });
    expect(accessFor(p, t.p('main/.git/worktrees/wt/index'))).toBe('write');
    expect(accessFor(p, t.p('main/.git/objects/ab'))).toBe('write');
    expect(accessFor(p, t.p('wt/.git'))).toBe('read');
    expect(accessFor(p, t.p('wt/.codex/x'))).toBe('read');
    expect(accessFor(p, t.p('wt/src.ts'))).toBe('write');
  });

  it('without the grant, the worktree gitdir stays read-only even when the main repo is writable', () => {
    const t = tree({ 'main/.git/worktrees/wt/HEAD': '', 'wt/.git': 'gitdir: ../main/.git/worktrees/wt\n' });
    const p = resolvePolicy({
      config: { sandbox_mode: 'workspace-write', sandbox_workspace_write: { writable_roots: [t.p('main')] } },
      cwd: t.p('wt'),
      env: envFor(t),
      os: 'linux',
    });
    expect(accessFor(p, t.p('main/.git/worktrees/wt/index'))).toBe('read');
    expect(accessFor(p, t.p('main/f'))).toBe('write');
  });
});

describe('config layers (origins kept by the typed config)', () => {
  const t = tree({ 'ws/': '', 'home/.codex/rel/': '', 'ws/rel/': '' });
  const fileTable = { default_permissions: 'p', permissions: { p: { filesystem: { ':root': 'write' } } } };
  /** config.toml holding `file`, then `-c` overrides: the sandbox slice as the commands get it. */
  const r = (file: ConfigTable, overrides: string[] = []) => {
    const sandbox = layerConfig({ codexHome: t.p('home/.codex'), configPath: t.p('home/.codex') + '/config.toml', file, fileExists: true, overrides }).sandbox;
    return resolvePolicy({ sandbox, cwd: t.p('ws'), env: envFor(t), os: 'linux' });
  };

  it('-c sandbox_mode beats the file’s default_permissions (later layer wins, measured on 0.169)', () => {
    expect(r(fileTable, ['sandbox_mode=read-only']).detail.source).toEqual({ kind: 'legacy', mode: 'read-only', from: 'config' });
  });
  it('-c sandbox_mode with the same value as the file is still a later layer', () => {
    expect(r({ ...fileTable, sandbox_mode: 'read-only' }, ['sandbox_mode=read-only']).detail.source).toEqual({ kind: 'legacy', mode: 'read-only', from: 'config' });
  });
  it('both in the file: default_permissions wins', () => {
    expect(r({ ...fileTable, sandbox_mode: 'read-only' }).detail.source).toEqual({ kind: 'profile', name: 'p', from: 'config' });
  });
  it('-c default_permissions beats the file’s sandbox_mode', () => {
    expect(r({ sandbox_mode: 'read-only', permissions: fileTable.permissions }, ['default_permissions=p']).detail.source).toEqual({ kind: 'profile', name: 'p', from: 'config' });
  });
  it('relative writable_roots from the file resolve against its directory; from -c against the cwd', () => {
    const file = { sandbox_mode: 'workspace-write', sandbox_workspace_write: { writable_roots: ['rel'] } };
    expect(r(file).detail.legacy).toMatchObject({ writableRoots: [t.p('home/.codex/rel')] });
    expect(r({ sandbox_mode: 'workspace-write' }, ['sandbox_workspace_write.writable_roots=["rel"]']).detail.legacy).toMatchObject({ writableRoots: [t.p('ws/rel')] });
    // -c replacing the file's roots with the same list: still the -c layer (0.169 resolves it against cwd)
    expect(r(file, ['sandbox_workspace_write.writable_roots=["rel"]']).detail.legacy).toMatchObject({ writableRoots: [t.p('ws/rel')] });
  });
  it('a bare table (no origins) counts as unlocated: cwd-relative roots, file precedence', () => {
    const p = resolvePolicy({ sandbox: readSandboxConfig({ ...fileTable, sandbox_mode: 'read-only' }), cwd: t.p('ws'), env: envFor(t), os: 'linux' });
    expect(p.detail.source).toEqual({ kind: 'profile', name: 'p', from: 'config' });
  });
});

describe('wrong types in the sandbox slice: CONFIG_TYPE naming key, file and line', () => {
  it.each([
    ['sandbox_mode = 5\n', '2: `sandbox_mode` must be a string, got integer 5'],
    ['[sandbox_workspace_write]\nnetwork_access = "yes"\n', '3: `sandbox_workspace_write.network_access` must be a boolean, got string "yes"'],
    ['x = 1\nsandbox_workspace_write = 3\n', '3: `sandbox_workspace_write` must be a table, got integer 3'],
    ['[permissions.p.network]\nenabled = 1\n', '3: `permissions.p.network.enabled` must be a boolean, got integer 1'],
  ])('%j', (text, tail) => {
    const file = parseTomlText(`# header\n${text}`);
    const f = () => layerConfig({ codexHome: '/h', configPath: '/h/config.toml', file, text: `# header\n${text}`, fileExists: true });
    expect(f).toThrow(expect.objectContaining({ code: 'CONFIG_TYPE', message: `/h/config.toml:${tail}` }));
  });
  it('a -c value of the wrong type names the argument', () => {
    expect(() => layerConfig({ codexHome: '/h', configPath: '/h/config.toml', file: {}, fileExists: false, overrides: ['sandbox_workspace_write.exclude_slash_tmp=1'] })).toThrow(
      expect.objectContaining({ code: 'CONFIG_TYPE', message: '-c sandbox_workspace_write.exclude_slash_tmp=1: `sandbox_workspace_write.exclude_slash_tmp` must be a boolean, got integer 1' }),
    );
  });
});
