// Properties of resolution over a real directory tree: legacy configs always round-trip, a profile
// spelling out a legacy policy's table is recognised as that legacy policy, and access() does not
// depend on which symlinked alias names a path.
import fc from 'fast-check';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accessFor, resolvePolicy, sameAccess } from '../../sandbox/index.js';
import { envFor, tree } from './fixture.js';

const RUNS = Number(process.env.SANDBOX_PROPERTY_RUNS ?? 2000) / 10;

const t = tree({
  'ws/.git/HEAD': '',
  'ws/src/a/': '',
  'ws/.agents/': '',
  'r1/': '',
  'r2/.git': 'gitdir: ../gd\n',
  'gd/HEAD': '',
  'r3/x/': '',
  'tmpd/': '',
  'alias': '-> ws',
  'ws/src/up': '-> ../../r1',
});
const POOL = ['r1', 'r2', 'r3', 'r3/x', 'ws/src', 'gd'].map((x) => t.p(x));
const QUERIES = ['ws/f', 'ws/.git/HEAD', 'ws/.codex/c', 'ws/.agents/a', 'ws/src/a/f', 'r1/f', 'r2/.git', 'gd/HEAD', 'r3/x/y', 'tmpd/z', 'home/q', 'other'].map((x) => t.p(x));

const wwArb = fc.record({
  roots: fc.subarray(POOL),
  network_access: fc.boolean(),
  exclude_tmpdir_env_var: fc.boolean(),
  exclude_slash_tmp: fc.boolean(),
});

describe('resolution properties', () => {
  it('every workspace-write config is legacy-equivalent, and its hand-written profile is too, with the same table', () => {
    fc.assert(
      fc.property(wwArb, (w) => {
        const env = envFor(t, { TMPDIR: t.p('tmpd') });
        const legacy = resolvePolicy({
          config: { sandbox_mode: 'workspace-write', sandbox_workspace_write: { ...w, writable_roots: w.roots } },
          cwd: t.p('ws'),
          env,
          os: 'linux',
        });
        expect(legacy.legacyEquivalent).toBe(true);
        const fsTable: Record<string, unknown> = { ':root': 'read', ':workspace_roots': { '.': 'write' } };
        for (const r of w.roots) fsTable[r] = 'write';
        if (!w.exclude_slash_tmp) fsTable[':slash_tmp'] = 'write';
        if (!w.exclude_tmpdir_env_var) fsTable[':tmpdir'] = 'write';
        const prof = resolvePolicy({
          config: { default_permissions: 'p', permissions: { p: { filesystem: fsTable, network: { enabled: w.network_access } } } },
          cwd: t.p('ws'),
          env,
          os: 'linux',
        });
        // .aws is the only protection the built-in adds beyond the automatic ones; the tree has none
        expect(sameAccess(prof.rules, legacy.rules)).toBe(true);
        expect(prof.legacyEquivalent).toBe(true);
        expect(prof.network).toBe(legacy.network);
        for (const q of QUERIES) expect(accessFor(prof, q)).toBe(accessFor(legacy, q));
      }),
      { numRuns: RUNS },
    );
  });

  it('access() is the same through a symlinked alias as through the real path', () => {
    fc.assert(
      fc.property(wwArb, fc.constantFrom('f', '.git/HEAD', '.codex/x', 'src/a/f', 'src/up/f', 'new/deep/file'), (w, rel) => {
        const p = resolvePolicy({
          config: { sandbox_mode: 'workspace-write', sandbox_workspace_write: { ...w, writable_roots: w.roots } },
          cwd: t.p('alias'),
          env: envFor(t),
          os: 'linux',
        });
        expect(accessFor(p, t.p('alias', rel))).toBe(accessFor(p, t.p('ws', rel)));
        expect(accessFor(p, rel)).toBe(accessFor(p, t.p('ws', rel)));
      }),
      { numRuns: RUNS },
    );
  });

  it('a write through a symlink that leaves the workspace gets the target’s access', () => {
    const p = resolvePolicy({ config: { sandbox_mode: 'workspace-write', sandbox_workspace_write: { exclude_slash_tmp: true } }, cwd: t.p('ws'), env: envFor(t), os: 'linux' });
    expect(fs.realpathSync(t.p('ws/src/up'))).toBe(t.p('r1'));
    expect(accessFor(p, t.p('ws/src/up/f'))).toBe('read');
  });
});
