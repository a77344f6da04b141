// The route decision: one table covering every row of the spec, and a property test that the chosen
// backend never allows more than the policy does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accessOf,
  decideRoute,
  decisionPoints,
  requireRoute,
  type Access,
  type EffectivePolicy,
  type FsRule,
  type PlatformFacts,
  type RouteDecision,
} from '../../sandbox/index.js';
import { enforcedBy, RANK } from './backends.js';

const pol = (rules: FsRule[], legacyEquivalent: boolean, network = false): EffectivePolicy => ({
  unrestricted: false,
  rules,
  network,
  legacyEquivalent,
  cwd: '/ws',
});
const R = (path: string, access: Access): FsRule => ({ path, access });

const P = {
  dangerFullAccess: { unrestricted: true, rules: [R('/', 'write')], network: true, legacyEquivalent: true, cwd: '/ws' } satisfies EffectivePolicy,
  readOnly: pol([R('/', 'read')], true),
  /** legacy workspace-write as resolved: protected .git/.codex under the writable roots */
  workspaceWrite: pol([R('/', 'read'), R('/tmp', 'write'), R('/tmp/.codex', 'read'), R('/ws', 'write'), R('/ws/.codex', 'read'), R('/ws/.git', 'read')], true),
  /** a legacy-equivalent table with no carveouts under writable roots (e.g. hand-built by a caller) */
  workspaceWriteBare: pol([R('/', 'read'), R('/ws', 'write')], true),
  splitReopen: pol([R('/', 'read'), R('/repo', 'write'), R('/repo/a', 'none'), R('/repo/a/b', 'write')], false),
  splitNone: pol([R('/', 'read'), R('/ws', 'write'), R('/ws/secrets', 'none')], false),
  splitExactRead: pol([R('/usr', 'read'), R('/etc', 'read'), R('/ws', 'write'), R('/ws/.codex', 'read')], false),
  splitFullReadCarveout: pol([R('/', 'read'), R('/ws', 'write'), R('/ws/.codex', 'read'), R('/ws/docs', 'read')], false),
  splitReopenUnderReadCarveout: pol([R('/', 'read'), R('/ws', 'write'), R('/ws/docs', 'read'), R('/ws/docs/gen', 'write')], false),
  splitOtherRoots: pol([R('/', 'read'), R('/data', 'write'), R('/data/.codex', 'read')], false),
};
type PolicyName = keyof typeof P;

const linux: PlatformFacts = { os: 'linux', landlockAbi: 7, bwrapAvailable: true };
const F = {
  macos: { os: 'macos' },
  linux,
  linuxNoLandlock: { ...linux, landlockAbi: 0 },
  linuxNoBwrap: { ...linux, bwrapAvailable: false },
  linuxNothing: { os: 'linux', landlockAbi: 0, bwrapAvailable: false },
  wsl1: { ...linux, wsl1: true },
  winElevated: { os: 'windows', elevated: true },
  winUnelevated: { os: 'windows', elevated: false },
} satisfies Record<string, PlatformFacts>;
type FactsName = keyof typeof F;

type Expect = `${'none' | 'seatbelt' | 'landlock' | 'bwrap' | 'windows-elevated' | 'windows-restricted-token'}/${'unsandboxed' | 'legacy' | 'split'}` | `refuse:${string}`;

function summary(d: RouteDecision): string {
  return d.ok ? `${d.backend}/${d.mode}` : `refuse:${d.code}`;
}

// [spec row, platform, policy, expected]
const TABLE: Array<[string, FactsName, PolicyName, Expect]> = [
  ['danger-full-access: no sandbox (macOS)', 'macos', 'dangerFullAccess', 'none/unsandboxed'],
  ['danger-full-access: no sandbox (Linux)', 'linux', 'dangerFullAccess', 'none/unsandboxed'],
  ['danger-full-access: no sandbox (WSL1 too)', 'wsl1', 'dangerFullAccess', 'none/unsandboxed'],
  ['danger-full-access: no sandbox (Windows)', 'winUnelevated', 'dangerFullAccess', 'none/unsandboxed'],
  ['macOS, legacy-equivalent: Seatbelt', 'macos', 'readOnly', 'seatbelt/legacy'],
  ['macOS, legacy-equivalent workspace-write: Seatbelt', 'macos', 'workspaceWrite', 'seatbelt/legacy'],
  ['macOS, split with none + reopen: Seatbelt', 'macos', 'splitReopen', 'seatbelt/split'],
  ['macOS, split with exact read roots: Seatbelt', 'macos', 'splitExactRead', 'seatbelt/split'],
  ['Linux, legacy read-only: bwrap (namespaces; Landlock is only the fallback)', 'linux', 'readOnly', 'bwrap/legacy'],
  ['Linux, legacy-equivalent without carveouts: bwrap', 'linux', 'workspaceWriteBare', 'bwrap/legacy'],
  ['Linux, legacy workspace-write with protected paths: bwrap (0.169 drops .git protection on Landlock)', 'linux', 'workspaceWrite', 'bwrap/legacy'],
  ['Linux, split (none + reopen): bwrap', 'linux', 'splitReopen', 'bwrap/split'],
  ['Linux, split (exact read roots): bwrap', 'linux', 'splitExactRead', 'bwrap/split'],
  ['Linux, no Landlock: legacy read-only goes to bwrap', 'linuxNoLandlock', 'readOnly', 'bwrap/legacy'],
  ['Linux, no usable bwrap: legacy read-only on the Landlock + seccomp fallback', 'linuxNoBwrap', 'readOnly', 'landlock/legacy'],
  ['Linux, no bwrap: split refused', 'linuxNoBwrap', 'splitReopen', 'refuse:SANDBOX_BWRAP_MISSING'],
  ['Linux, no bwrap: workspace-write refused rather than losing .git protection', 'linuxNoBwrap', 'workspaceWrite', 'refuse:SANDBOX_BWRAP_MISSING'],
  ['Linux, neither Landlock nor bwrap: refused', 'linuxNothing', 'readOnly', 'refuse:SANDBOX_BWRAP_MISSING'],
  ['WSL1, legacy: rejected before any exec', 'wsl1', 'readOnly', 'refuse:SANDBOX_WSL1'],
  ['WSL1, legacy workspace-write: rejected', 'wsl1', 'workspaceWrite', 'refuse:SANDBOX_WSL1'],
  ['WSL1, split: rejected', 'wsl1', 'splitReopen', 'refuse:SANDBOX_WSL1'],
  ['Windows elevated, legacy read-only: legacy backend', 'winElevated', 'readOnly', 'windows-elevated/legacy'],
  ['Windows elevated, legacy workspace-write: legacy backend', 'winElevated', 'workspaceWrite', 'windows-elevated/legacy'],
  ['Windows elevated, exact read roots: supported', 'winElevated', 'splitExactRead', 'windows-elevated/split'],
  ['Windows elevated, full read + read-only carveouts: supported', 'winElevated', 'splitFullReadCarveout', 'windows-elevated/split'],
  ['Windows elevated, other writable roots: supported', 'winElevated', 'splitOtherRoots', 'windows-elevated/split'],
  ['Windows unelevated, legacy read-only: restricted token', 'winUnelevated', 'readOnly', 'windows-restricted-token/legacy'],
  ['Windows unelevated, legacy workspace-write: restricted token', 'winUnelevated', 'workspaceWrite', 'windows-restricted-token/legacy'],
  ['Windows unelevated, full read + legacy roots + read-only carveouts: restricted token', 'winUnelevated', 'splitFullReadCarveout', 'windows-restricted-token/split'],
  ['Windows unelevated, exact read roots: refused (needs elevated)', 'winUnelevated', 'splitExactRead', 'refuse:SANDBOX_UNSUPPORTED'],
  ['Windows unelevated, writable roots not the legacy set: refused', 'winUnelevated', 'splitOtherRoots', 'refuse:SANDBOX_UNSUPPORTED'],
  ['Windows elevated, none carveout: fail closed', 'winElevated', 'splitNone', 'refuse:SANDBOX_UNSUPPORTED'],
  ['Windows unelevated, none carveout: fail closed', 'winUnelevated', 'splitNone', 'refuse:SANDBOX_UNSUPPORTED'],
  ['Windows elevated, none + reopen: fail closed', 'winElevated', 'splitReopen', 'refuse:SANDBOX_UNSUPPORTED'],
  ['Windows elevated, writable reopened under read-only carveout: fail closed', 'winElevated', 'splitReopenUnderReadCarveout', 'refuse:SANDBOX_UNSUPPORTED'],
  ['Windows unelevated, writable reopened under read-only carveout: fail closed', 'winUnelevated', 'splitReopenUnderReadCarveout', 'refuse:SANDBOX_UNSUPPORTED'],
];

describe('route decision table (every row of the spec)', () => {
  it.each(TABLE)('%s', (_row, facts, policy, expected) => {
    const d = decideRoute(P[policy], F[facts]);
    expect(summary(d)).toBe(expected);
    if (!d.ok) expect(d.reason.length).toBeGreaterThan(20);
  });

  it('every platform and every policy shape appears in the table', () => {
    expect(new Set(TABLE.map((r) => r[1]))).toEqual(new Set(Object.keys(F)));
    expect(new Set(TABLE.map((r) => r[2]))).toEqual(new Set(Object.keys(P)));
  });

  it('requireRoute turns a refusal into a CodexError with the stable code and the reason', () => {
    expect(() => requireRoute(P.readOnly, F.wsl1)).toThrow(expect.objectContaining({ code: 'SANDBOX_WSL1', exitCode: 125 }));
    expect(() => requireRoute(P.splitReopen, F.linuxNoBwrap)).toThrow(/install bubblewrap/);
    expect(requireRoute(P.readOnly, F.linux).backend).toBe('bwrap');
    expect(requireRoute(P.readOnly, F.linuxNoBwrap)).toMatchObject({ backend: 'landlock', fallback: true });
  });

  it('the chosen route carries the policy network setting', () => {
    const d = decideRoute(pol([R('/', 'read')], true, true), linux);
    expect(d.ok && d.network).toBe(true);
  });
});

// --- property: the chosen backend never enforces less than the policy asks ---------------------

const SEGS = ['a', 'b', 'c'];
const pathArb = fc.array(fc.constantFrom(...SEGS), { minLength: 0, maxLength: 3 }).map((s) => '/' + s.join('/'));
const accessArb = fc.constantFrom<Access>('none', 'read', 'write');
const ruleArb = fc.record({ path: pathArb, access: accessArb });
const policyArb = fc
  .record({
    rules: fc.uniqueArray(ruleArb, { selector: (r) => r.path, maxLength: 7 }),
    legacyEquivalent: fc.boolean(),
    network: fc.boolean(),
    unrestricted: fc.boolean().map((b) => b && Math.random() < 0.1),
    cwd: fc.constantFrom('/a', '/b/c', '/'),
  })
  .map((p): EffectivePolicy => ({ ...p, unrestricted: p.unrestricted }));
const factsArb: fc.Arbitrary<PlatformFacts> = fc.oneof(
  fc.record({ os: fc.constant('linux' as const), wsl1: fc.boolean(), landlockAbi: fc.constantFrom(0, 1, 7), bwrapAvailable: fc.boolean() }),
  fc.record({ os: fc.constant('macos' as const) }),
  fc.record({ os: fc.constant('windows' as const), elevated: fc.boolean() }),
);

const RUNS = Number(process.env.SANDBOX_PROPERTY_RUNS ?? 2000);

describe('property: the route never enforces less than the policy', () => {
  it(`for random policies, platforms and paths (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(policyArb, factsArb, (policy, facts) => {
        const d = decideRoute(policy, facts);
        if (!d.ok) return true;
        const enforced = enforcedBy(d.backend, policy);
        const asked = (p: string): Access => (policy.unrestricted ? 'write' : accessOf(policy.rules, p));
        for (const p of decisionPoints(policy.rules)) {
          if (RANK[enforced(p)] > RANK[asked(p)]) throw new Error(`${d.backend} allows ${enforced(p)} on ${p}, policy says ${asked(p)}`);
        }
        if (!policy.unrestricted && policy.network === false && d.network) throw new Error('network allowed');
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('the models are not vacuous: Landlock would allow more for a carveout policy', () => {
    const enforced = enforcedBy('landlock', P.workspaceWrite);
    expect(enforced('/ws/.git/config')).toBe('write');
    expect(accessOf(P.workspaceWrite.rules, '/ws/.git/config')).toBe('read');
    const win = enforcedBy('windows-elevated', P.splitNone);
    expect(win('/ws/secrets/x')).toBe('write');
  });

  it('exact backends enforce exactly (no loss the other way) for supported routes', () => {
    fc.assert(
      fc.property(policyArb, (policy) => {
        if (policy.unrestricted) return true;
        for (const backend of ['bwrap', 'seatbelt'] as const) {
          const e = enforcedBy(backend, policy);
          for (const p of decisionPoints(policy.rules)) if (e(p) !== accessOf(policy.rules, p)) throw new Error(`${backend} differs on ${p}`);
        }
        return true;
      }),
      { numRuns: Math.min(RUNS, 500) },
    );
  });
});
