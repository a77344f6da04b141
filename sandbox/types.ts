// The contract between the policy model (sandbox/policy) and its enforcers (sandbox/linux,
// sandbox/seatbelt, sandbox/windows) and the core. Pure data; JSON-serialisable so the core can pass
// it to the `codex-linux-sandbox` helper.

export type Access = 'none' | 'read' | 'write';

/** One entry of the effective table: an absolute, canonical path and the access below it. */
export interface FsRule {
  path: string;
  access: Access;
}

/**
 * A fully resolved policy. `rules` is the effective per-path table: absolute canonical paths,
 * the most specific (longest) matching path decides, ties none > write > read. Protected paths
 * (.git, gitdir targets, .codex, .agents under writable roots) are already present as `read` rules.
 * A path matched by no rule is `none`.
 */
export interface EffectivePolicy {
  /** danger-full-access: run with no sandbox at all. */
  unrestricted: boolean;
  rules: FsRule[];
  network: boolean;
  /** True when the policy round-trips through the legacy SandboxPolicy model unchanged. */
  legacyEquivalent: boolean;
  /** The cwd the policy was resolved against. */
  cwd: string;
}

const RANK: Record<Access, number> = { read: 0, write: 1, none: 2 };

function covers(root: string, p: string): boolean {
  return root === '/' || p === root || p.startsWith(root.endsWith('/') ? root : root + '/');
}

/** Access granted to an absolute canonical path by a rule table (longest match; ties none > write > read). */
export function accessOf(rules: readonly FsRule[], p: string): Access {
  let best: FsRule | undefined;
  for (const r of rules) {
    if (!covers(r.path, p)) continue;
    if (!best || r.path.length > best.path.length || (r.path.length === best.path.length && RANK[r.access] > RANK[best.access])) best = r;
  }
  return best ? best.access : 'none';
}
