// Seatbelt profile generator, tested as text (sandbox-exec does not exist on Linux). Golden files hold
// the profile followed by its -D parameters as SBPL comments, with the temp root written as $ROOT.
// Regenerate with UPDATE_GOLDEN=1 after an intended change and review the diff.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolvePolicy, seatbeltArgv, seatbeltProfile, type EffectivePolicy } from '../../sandbox/index.js';
import { seatbeltModel } from './backends.js';
import { envFor, tree, type Tree } from './fixture.js';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');

function render(policy: EffectivePolicy, t: Tree): string {
  const { profile, params } = seatbeltProfile(policy);
  const lines = params.map(([k, v]) => `;; -D ${k}=${v.split(t.root).join('$ROOT')}`);
  return `${profile}\n;; parameters\n${lines.join('\n')}\n`;
}

function golden(name: string, text: string): void {
  const file = path.join(GOLDEN, `${name}.sb`);
  if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(file)) {
    if (process.env.CI && !fs.existsSync(file)) throw new Error(`missing golden file ${file}`);
    fs.writeFileSync(file, text);
  }
  expect(text).toBe(fs.readFileSync(file, 'utf8'));
}

function resolve(t: Tree, config: Record<string, unknown>, cwd = 'ws', env: Record<string, string> = {}): EffectivePolicy {
  return resolvePolicy({ config, cwd: t.p(cwd), env: envFor(t, env), os: 'macos' });
}

const noTmp = { exclude_slash_tmp: true, exclude_tmpdir_env_var: true };

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
    const p = resolve(
      t,
      { sandbox_mode: 'workspace-write', sandbox_workspace_write: { exclude_slash_tmp: true, writable_roots: [t.p('cache'), t.p('out')] } },
      'ws',
      { TMPDIR: t.p('tmpd') },
    );
    golden('workspace-write-extra-roots', render(p, t));
  });

  it('network on', () => {
    const t = tree({ 'ws/': '' });
    golden('workspace-write-network', render(resolve(t, { sandbox_mode: 'workspace-write', sandbox_workspace_write: { ...noTmp, network_access: true } }), t));
  });

  it('split policy with carveouts: exact read roots, none carveout, reopened writable child, read-only carveout', () => {
    const t = tree({ 'usr/': '', 'repo/a/b/': '', 'repo/docs/': '' });
    const p = resolve(
      t,
      {
        default_permissions: 'split',
        permissions: {
          split: {
            filesystem: { [t.p('usr')]: 'read', [t.p('repo')]: 'write', [t.p('repo/a')]: 'none', [t.p('repo/a/b')]: 'write', [t.p('repo/docs')]: 'read' },
          },
        },
      },
      'repo',
    );
    golden('split-carveouts', render(p, t));
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
  });
});

describe('profile semantics', () => {
  it('regions grant exactly the table (evaluated from the text)', () => {
    const t = tree({ 'repo/a/b/': '', 'repo/.git/': '' });
    const p = resolve(t, {
      default_permissions: 's',
      permissions: { s: { filesystem: { ':root': 'read', [t.p('repo')]: 'write', [t.p('repo/a')]: 'none', [t.p('repo/a/b')]: 'write' } } },
    }, 'repo');
    const m = seatbeltModel(p);
    expect(m(t.p('repo/c'))).toBe('write');
    expect(m(t.p('repo/.git/config'))).toBe('read');
    expect(m(t.p('repo/.codex'))).toBe('read');
    expect(m(t.p('repo/a/x'))).toBe('none');
    expect(m(t.p('repo/a/b/x'))).toBe('write');
    expect(m('/etc/passwd')).toBe('read');
  });

  it('network rules follow the policy; deny default is always first', () => {
    const t = tree({ 'ws/': '' });
    const off = seatbeltProfile(resolve(t, { sandbox_mode: 'read-only' })).profile;
    const on = seatbeltProfile(resolve(t, { sandbox_mode: 'workspace-write', sandbox_workspace_write: { network_access: true } })).profile;
    expect(off).not.toContain('(allow network-outbound)');
    expect(on).toContain('(allow network-outbound)');
    for (const x of [off, on]) expect(x.split('\n').filter((l) => !l.startsWith(';'))[1]).toBe('(deny default)');
  });

  it('refuses to build a profile for danger-full-access (it runs unsandboxed)', () => {
    const t = tree({ 'ws/': '' });
    expect(() => seatbeltProfile(resolve(t, { sandbox_mode: 'danger-full-access' }))).toThrow();
  });
});
