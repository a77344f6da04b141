// Small pure pieces: canonical paths, glob matching, rule-table comparison.
import { describe, expect, it } from 'vitest';
import { canonicalPath, globToRegExp, normalizeRules, sameAccess, accessDiff } from '../../sandbox/index.js';
import { tree } from './fixture.js';

describe('canonicalPath', () => {
  it('resolves symlinks, missing tails and dangling links', () => {
    const t = tree({ 'real/d/': '', 'ln': '-> real', 'dangling': '-> real/not/yet', 'loop1': '-> loop2', 'loop2': '-> loop1' });
    expect(canonicalPath(t.p('ln/d'))).toBe(t.p('real/d'));
    expect(canonicalPath(t.p('ln/missing/x'))).toBe(t.p('real/missing/x'));
    expect(canonicalPath(t.p('dangling/f'))).toBe(t.p('real/not/yet/f'));
    expect(canonicalPath(`${t.p('real')}/../real/./d/`)).toBe(t.p('real/d'));
    expect(canonicalPath(t.p('loop1/x'))).toMatch(/loop[12]\/x$/);
  });
});

describe('globToRegExp', () => {
  it.each([
    ['/w/**/*.env', '/w/.env', true],
    ['/w/**/*.env', '/w/a/b/.env', true],
    ['/w/**/*.env', '/w/a/b/env', false],
    ['/w/*.env', '/w/a/x.env', false],
    ['/w/?.txt', '/w/a.txt', true],
    ['/w/[ab].txt', '/w/b.txt', true],
    ['/w/[!ab].txt', '/w/b.txt', false],
    ['/w/a.b', '/w/aXb', false],
    ['/w/(x)+', '/w/(x)+', true],
  ])('%s matches %s: %s', (glob, p, want) => {
    expect(globToRegExp(glob).test(p)).toBe(want);
  });
});

describe('rule tables', () => {
  it('normalise one rule per path with ties none > write > read', () => {
    expect(normalizeRules([{ path: '/a', access: 'read' }, { path: '/a', access: 'write' }, { path: '/b', access: 'write' }, { path: '/b', access: 'none' }])).toEqual([
      { path: '/a', access: 'write' },
      { path: '/b', access: 'none' },
    ]);
  });
  it('sameAccess compares every path, including paths no rule names', () => {
    const a = [{ path: '/', access: 'read' as const }];
    const b = [{ path: '/', access: 'read' as const }, { path: '/x', access: 'read' as const }];
    expect(sameAccess(a, b)).toBe(true);
    const c = [{ path: '/', access: 'read' as const }, { path: '/x/y', access: 'write' as const }];
    expect(sameAccess(a, c)).toBe(false);
    expect(accessDiff(a, c).map((d) => d.path)).toContain('/x/y');
  });
});

describe('canonicalPath walks like the kernel', () => {
  it('link/.. is the parent of the link target, not of the link', () => {
    const t = tree({ 'a/b/c/': '', 'x/': '', 'x/up': '-> ../a/b/c' });
    expect(canonicalPath(`${t.p('x/up')}/..`)).toBe(t.p('a/b'));
    expect(canonicalPath(`${t.p('x/up')}/../c`)).toBe(t.p('a/b/c'));
  });
});

describe('accessFor', () => {
  it('follows a symlink before .. (a path that escapes through a link is judged where it lands)', async () => {
    const { resolvePolicy, accessFor } = await import('../../sandbox/index.js');
    const t = tree({ 'ws/': '', 'out/deep/': '', 'ws/link': '-> ../out/deep' });
    const p = resolvePolicy({ config: { sandbox_mode: 'workspace-write', sandbox_workspace_write: { exclude_slash_tmp: true } }, cwd: t.p('ws'), env: { HOME: t.p('home') }, os: 'linux' });
    expect(accessFor(p, 'link/../x')).toBe('read');
    expect(accessFor(p, `${t.p('ws')}/link/../x`)).toBe('read');
    expect(accessFor(p, 'sub/../x')).toBe('write');
  });
});

describe('isWithin / isStrictlyWithin: the one containment helper (ancestor first)', () => {
  it('agrees with path.relative on random absolute paths', async () => {
    const fc = (await import('fast-check')).default;
    const { isWithin, isStrictlyWithin } = await import('../../sandbox/policy/paths.js');
    const posix = (await import('node:path')).posix;
    const seg = fc.constantFrom('a', 'b', 'ab', 'a.b', '..a', 'a-');
    const abs = fc.array(seg, { maxLength: 4 }).map((s) => '/' + s.join('/'));
    fc.assert(
      fc.property(abs, abs, (root, p) => {
        const rel = posix.relative(root, p);
        const oracle = rel === '' || (!rel.startsWith('..') && !posix.isAbsolute(rel)) || (rel.startsWith('..') && rel.split('/')[0] !== '..');
        expect(isWithin(root, p)).toBe(oracle);
        expect(isWithin(root === '/' ? '/' : `${root}/`, p)).toBe(oracle);
        expect(isStrictlyWithin(root, p)).toBe(oracle && root !== p);
      }),
      { numRuns: 2000 },
    );
  });
  it('edges: the root covers everything; a sibling with a common prefix is outside', async () => {
    const { isWithin, isStrictlyWithin } = await import('../../sandbox/policy/paths.js');
    expect(isWithin('/', '/x')).toBe(true);
    expect(isStrictlyWithin('/', '/')).toBe(false);
    expect(isWithin('/repo', '/repository')).toBe(false);
    expect(isWithin('/repo', '/repo/a')).toBe(true);
  });
});
