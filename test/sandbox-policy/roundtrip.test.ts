// Legacy round-trip: a split policy is legacy-equivalent when converting it to the legacy model and
// back grants exactly the same rights for every path (reads, writes, denials, protections, network).
import { describe, expect, it } from 'vitest';
import { resolvePolicy, sameAccess } from '../../sandbox/index.js';
import { envFor, tree } from './fixture.js';

function withProfile(t: ReturnType<typeof tree>, fsTable: Record<string, unknown>, network?: boolean, extendsName?: string) {
  return resolvePolicy({
    config: {
      default_permissions: 'p',
      permissions: { p: { ...(extendsName ? { extends: extendsName } : {}), filesystem: fsTable, ...(network === undefined ? {} : { network: { enabled: network } }) } },
    },
    cwd: t.p('ws'),
    env: envFor(t, { TMPDIR: t.p('tmpd') }),
    os: 'linux',
  });
}

function legacy(t: ReturnType<typeof tree>, config: Record<string, unknown>) {
  return resolvePolicy({ config, cwd: t.p('ws'), env: envFor(t, { TMPDIR: t.p('tmpd') }), os: 'linux' });
}

describe('legacy round-trip', () => {
  const t = tree({ 'ws/.git/HEAD': '', 'ws/a/b/': '', 'extra/': '', 'tmpd/': '', 'other/': '' });

  it('every legacy mode is legacy-equivalent', () => {
    for (const mode of ['read-only', 'workspace-write', 'danger-full-access']) expect(legacy(t, { sandbox_mode: mode }).legacyEquivalent).toBe(true);
  });

  it(':root = read is read-only', () => {
    const p = withProfile(t, { ':root': 'read' });
    expect(p.legacyEquivalent).toBe(true);
    expect(p.detail.legacy).toEqual({ mode: 'read-only', networkAccess: false });
    expect(sameAccess(p.rules, legacy(t, { sandbox_mode: 'read-only' }).rules)).toBe(true);
  });

  it('the :workspace shape written out by hand is workspace-write, with the same protections', () => {
    const p = withProfile(t, { ':root': 'read', ':workspace_roots': { '.': 'write' }, ':slash_tmp': 'write', ':tmpdir': 'write' });
    expect(p.legacyEquivalent).toBe(true);
    expect(p.detail.legacy).toEqual({ mode: 'workspace-write', writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false });
    expect(sameAccess(p.rules, legacy(t, { sandbox_mode: 'workspace-write' }).rules)).toBe(true);
    expect(withProfile(t, {}, undefined, ':workspace').legacyEquivalent).toBe(true);
  });

  it('extra writable roots, excluded tmp dirs and network map onto [sandbox_workspace_write]', () => {
    const p = withProfile(t, { ':root': 'read', ':workspace_roots': { '.': 'write' }, [t.p('extra')]: 'write' }, true);
    expect(p.legacyEquivalent).toBe(true);
    expect(p.detail.legacy).toEqual({ mode: 'workspace-write', writableRoots: [t.p('extra')], networkAccess: true, excludeTmpdirEnvVar: true, excludeSlashTmp: true });
  });

  it('network enabled on a read-only table stays legacy-equivalent (network is compared too)', () => {
    const p = withProfile(t, { ':root': 'read' }, true);
    expect(p.legacyEquivalent).toBe(true);
    expect(p.detail.legacy).toEqual({ mode: 'read-only', networkAccess: true });
  });

  it.each([
    ['a none carveout', { ':root': 'read', ':workspace_roots': { '.': 'write', a: 'none' } }],
    ['the spec reopen example', { ':root': 'read', [`${'WS'}`]: 'write', 'WS/a': 'none', 'WS/a/b': 'write' }],
    ['a read-only carveout under the workspace', { ':root': 'read', ':workspace_roots': { '.': 'write', a: 'read' } }],
    ['exact read roots', { ':minimal': 'read', ':workspace_roots': { '.': 'write' } }],
    ['writable roots without cwd', { ':root': 'read', OTHER: 'write' }],
    ['full write', { ':root': 'write' }],
    ['nothing at all', {}],
  ])('not legacy-equivalent: %s', (_name, table) => {
    const fixed = Object.fromEntries(Object.entries(table).map(([k, v]) => [k.replace('WS', t.p('ws')).replace('OTHER', t.p('other')), v]));
    const p = withProfile(t, fixed);
    expect(p.legacyEquivalent).toBe(false);
    expect(p.detail.legacy).toBeUndefined();
  });

  it('an explicit grant on .git round-trips as an explicit writable root (explicit entries beat protection in both models)', () => {
    const p = withProfile(t, { ':root': 'read', ':workspace_roots': { '.': 'write', '.git': 'write' } });
    expect(p.legacyEquivalent).toBe(true);
    expect(p.detail.legacy).toMatchObject({ mode: 'workspace-write', writableRoots: [t.p('ws/.git')] });
  });

  it('.aws is protected by the built-in workspace modes (as in 0.169), so a hand-written profile differs when .aws exists', () => {
    const t2 = tree({ 'ws/.aws/credentials': '', 'tmpd/': '' });
    const p = withProfile(t2, { ':root': 'read', ':workspace_roots': { '.': 'write' }, ':slash_tmp': 'write', ':tmpdir': 'write' });
    expect(p.legacyEquivalent).toBe(false);
    expect(legacy(t2, { sandbox_mode: 'workspace-write' }).detail.protectedPaths.map((x) => x.kind)).toContain('aws');
  });
});
