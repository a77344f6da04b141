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
  /**
   * Detail added by `resolvePolicy` (optional so hand-built policies stay valid). Enforcers may use it
   * to explain themselves; `rules` alone is the ground truth for what is allowed.
   */
  detail?: PolicyDetail;
}

/** Why a `read` rule exists under a writable root: automatic protection, not a user entry. */
export type ProtectedKind = 'git-dir' | 'git-file' | 'gitdir-target' | 'codex' | 'agents' | 'aws';

export interface ProtectedPath {
  path: string;
  kind: ProtectedKind;
  /** The writable root it protects. */
  root: string;
  /** Whether it existed when the policy was resolved (a missing `.codex` is still protected). */
  exists: boolean;
}

/** The legacy `SandboxPolicy` (`sandbox_mode`), with absolute writable roots. */
export type LegacySandboxPolicy =
  | { mode: 'danger-full-access' }
  | { mode: 'read-only'; networkAccess: boolean }
  | {
      mode: 'workspace-write';
      /** Extra writable roots beyond cwd / $TMPDIR / /tmp (absolute, canonical). */
      writableRoots: string[];
      networkAccess: boolean;
      excludeTmpdirEnvVar: boolean;
      excludeSlashTmp: boolean;
    };

export type PolicySource =
  | { kind: 'legacy'; mode: LegacySandboxPolicy['mode']; from: 'cli' | 'config' | 'default' }
  | { kind: 'profile'; name: string; from: 'cli' | 'config' };

export interface PolicyDetail {
  source: PolicySource;
  /** The legacy form, present when `legacyEquivalent` (or the source was legacy). */
  legacy?: LegacySandboxPolicy;
  /** Canonical paths with `write` access (the writable roots), sorted. */
  writableRoots: string[];
  /** Automatic read-only protections under writable roots (already in `rules`). */
  protectedPaths: ProtectedPath[];
  /** cwd plus extra workspace roots, canonical. */
  workspaceRoots: string[];
  /** `none` glob patterns as written (absolute); their matches at resolve time are `none` rules. */
  denyGlobs: string[];
  globScanMaxDepth?: number;
  /** Exact platform-default read roots requested through `:minimal` (already in `rules`). */
  minimalReadRoots: string[];
  /** Startup warnings (unknown `:special` paths, unbounded globs, …) for the core to surface. */
  warnings: string[];
}
