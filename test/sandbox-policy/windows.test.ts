// Windows capability decision: (policy, elevated?) → backend | refusal. Every case of the spec.
import { describe, expect, it } from 'vitest';
import { decideWindows, resolvePolicy, type Access, type EffectivePolicy, type FsRule, type WindowsDecision } from '../../sandbox/index.js';
import { envFor, tree } from './fixture.js';

const R = (path: string, access: Access): FsRule => ({ path, access });
const pol = (rules: FsRule[], legacyEquivalent = false): EffectivePolicy => ({ unrestricted: false, rules, network: false, legacyEquivalent, cwd: '/ws' });
const sum = (d: WindowsDecision): string => (d.ok ? `${d.backend}/${d.mode}` : `refuse:${d.code}`);

const CASES: Array<[string, EffectivePolicy, string, string]> = [
  // [case, policy, elevated, unelevated]
  ['danger-full-access', { unrestricted: true, rules: [R('/', 'write')], network: true, legacyEquivalent: true, cwd: '/ws' }, 'none/unsandboxed', 'none/unsandboxed'],
  ['legacy read-only', pol([R('/', 'read')], true), 'elevated/legacy', 'restricted-token/legacy'],
  ['legacy workspace-write (protected paths are read-only carveouts)', pol([R('/', 'read'), R('/ws', 'write'), R('/ws/.git', 'read'), R('/ws/.codex', 'read')], true), 'elevated/legacy', 'restricted-token/legacy'],
  ['exact readable roots', pol([R('/usr', 'read'), R('/ws', 'write')]), 'elevated/split', 'refuse:SANDBOX_UNSUPPORTED'],
  ['exact writable roots elsewhere (full read)', pol([R('/', 'read'), R('/data', 'write')]), 'elevated/split', 'refuse:SANDBOX_UNSUPPORTED'],
  ['full read, legacy roots, extra read-only carveouts under them', pol([R('/', 'read'), R('/ws', 'write'), R('/ws/.codex', 'read'), R('/ws/vendor', 'read')]), 'elevated/split', 'restricted-token/split'],
  ['none carveout under a writable root', pol([R('/', 'read'), R('/ws', 'write'), R('/ws/secret', 'none')]), 'refuse:SANDBOX_UNSUPPORTED', 'refuse:SANDBOX_UNSUPPORTED'],
  ['none carveout in the read region', pol([R('/', 'read'), R('/home/u/.ssh', 'none'), R('/ws', 'write')]), 'refuse:SANDBOX_UNSUPPORTED', 'refuse:SANDBOX_UNSUPPORTED'],
  ['writable descendant reopened under a read-only carveout', pol([R('/', 'read'), R('/ws', 'write'), R('/ws/docs', 'read'), R('/ws/docs/gen', 'write')]), 'refuse:SANDBOX_UNSUPPORTED', 'refuse:SANDBOX_UNSUPPORTED'],
  ['writable descendant reopened under none', pol([R('/', 'read'), R('/ws', 'write'), R('/ws/a', 'none'), R('/ws/a/b', 'write')]), 'refuse:SANDBOX_UNSUPPORTED', 'refuse:SANDBOX_UNSUPPORTED'],
];

describe('Windows capability decision', () => {
  it.each(CASES)('%s', (_name, policy, elevated, unelevated) => {
    expect(sum(decideWindows(policy, true))).toBe(elevated);
    expect(sum(decideWindows(policy, false))).toBe(unelevated);
  });

  it('refusals say why (fail closed, never weaker)', () => {
    const d = decideWindows(CASES[6]![1], true);
    expect(!d.ok && d.reason).toMatch(/none.*refusing/);
    const e = decideWindows(CASES[3]![1], false);
    expect(!e.ok && e.reason).toMatch(/elevated/);
  });

  it(':minimal asks the elevated backend for the platform system read roots', () => {
    const t = tree({ 'ws/': '' });
    const p = resolvePolicy({
      config: { default_permissions: 'p', permissions: { p: { filesystem: { ':minimal': 'read', ':workspace_roots': { '.': 'write' } } } } },
      cwd: t.p('ws'),
      env: envFor(t),
      os: 'windows',
    });
    expect(p.detail.minimalReadRoots).toEqual(['C:\\Windows', 'C:\\Program Files', 'C:\\Program Files (x86)', 'C:\\ProgramData']);
    const d = decideWindows(p, true);
    expect(d.ok && d.backend === 'elevated' && d.systemReadRoots).toBe(true);
    expect(sum(decideWindows(p, false))).toBe('refuse:SANDBOX_UNSUPPORTED');
  });

  it('a `none` glob fails closed even when it matches nothing yet', () => {
    const t = tree({ 'ws/': '' });
    const p = resolvePolicy({
      config: { default_permissions: 'p', permissions: { p: { filesystem: { ':root': 'read', ':workspace_roots': { '.': 'write', '**/*.pem': 'none' } } } } },
      cwd: t.p('ws'),
      env: envFor(t),
      os: 'windows',
    });
    expect(p.rules.some((r) => r.access === 'none')).toBe(false);
    expect(sum(decideWindows(p, true))).toBe('refuse:SANDBOX_UNSUPPORTED');
    expect(sum(decideWindows(p, false))).toBe('refuse:SANDBOX_UNSUPPORTED');
  });
});
