// The one entry point: config table + CLI flags + cwd → the effective policy every backend consumes.
import * as path from 'node:path';
import { assertNever, CodexError, EXIT, type ConfigOrigin } from '../../protocol/index.js';
import type { EffectivePolicy, LegacySandboxPolicy, PolicyDetail, PolicySource } from '../types.js';
import { compileTable, slashTmpFor, type OsKind } from './compile.js';
import type { CliSandboxInput, ResolveInput } from './input.js';
import { windowsResolveInput } from './windows-input.js';
import { parseSandboxMode, readSandboxConfig, type SandboxConfig, type SandboxMode } from './config.js';
import { legacyCandidate, legacyEntries, legacyNetwork } from './legacy.js';
import { canonicalPath, expandHome } from './paths.js';
import {
  BUILTIN_DANGER,
  BUILTIN_READ_ONLY,
  BUILTIN_WORKSPACE,
  compileProfile,
  resolveProfileChain,
  type SymbolicEntry,
} from './profiles.js';
import { sameAccess } from './table.js';

export type { CliSandboxInput, ResolveInput } from './input.js';

export type ResolvedPolicy = EffectivePolicy & { detail: PolicyDetail };

/** Set by a layer after config.toml's top level (a profile, `-c`, a flag): 0.169's "session" values. */
function laterThanFile(o: ConfigOrigin | undefined): boolean {
  return o !== undefined && o.layer !== 'file';
}

export function currentOs(): OsKind {
  return process.platform === 'darwin' ? 'macos' : process.platform === 'win32' ? 'windows' : 'linux';
}

type Selection =
  | { kind: 'legacy'; mode: SandboxMode; from: 'cli' | 'config' | 'default' }
  | { kind: 'profile'; name: string; from: 'cli' | 'config' };

/**
 * Which syntax decides, as Codex 0.169 does: `-s`/`--full-auto` first, then a profile named on the
 * command line, then a `sandbox_mode` set by a later layer than the file (`-c`), then
 * `default_permissions` (it beats `sandbox_mode` in the same file), then `sandbox_mode`, then the default.
 */
export function selectPolicySource(cfg: SandboxConfig, cli: CliSandboxInput, defaultMode: SandboxMode, sessionSetsSandboxMode = false): Selection {
  let cliMode: SandboxMode | undefined;
  if (cli.sandboxMode !== undefined) cliMode = parseSandboxMode(cli.sandboxMode, '--sandbox', EXIT.USAGE);
  if (cli.fullAuto) {
    if (cliMode !== undefined && cliMode !== 'workspace-write') {
      throw new CodexError('SANDBOX_POLICY_INVALID', `--full-auto conflicts with --sandbox ${cliMode}`, { exitCode: EXIT.USAGE });
    }
    cliMode = 'workspace-write';
  }
  if (cliMode !== undefined && cli.permissions !== undefined) {
    throw new CodexError('SANDBOX_POLICY_INVALID', '`--sandbox` and `--permissions` cannot both be set', { exitCode: EXIT.USAGE });
  }
  if (cliMode !== undefined) return { kind: 'legacy', mode: cliMode, from: 'cli' };
  if (cli.permissions !== undefined) return { kind: 'profile', name: cli.permissions, from: 'cli' };
  // A later layer's sandbox_mode (-c) beats an earlier layer's default_permissions (the file).
  if (sessionSetsSandboxMode && cfg.sandboxMode !== undefined) return { kind: 'legacy', mode: cfg.sandboxMode, from: 'config' };
  if (cfg.defaultPermissions !== undefined) return { kind: 'profile', name: cfg.defaultPermissions, from: 'config' };
  if (cfg.sandboxMode !== undefined) return { kind: 'legacy', mode: cfg.sandboxMode, from: 'config' };
  // Profiles defined but none selected: 0.169 refuses rather than guess, and so do we (never a
  // silent fallback to a policy the user did not pick).
  if (cfg.permissions !== undefined && cfg.permissions.size > 0) {
    throw new CodexError('SANDBOX_POLICY_INVALID', 'config defines [permissions] profiles but does not set default_permissions (set it, or pick one with --permissions NAME)');
  }
  return { kind: 'legacy', mode: defaultMode, from: 'default' };
}

function legacyFromMode(mode: SandboxMode, cfg: SandboxConfig, base: string, home: string | undefined, withRoots: boolean): LegacySandboxPolicy {
  switch (mode) {
    case 'danger-full-access':
      return { mode };
    case 'read-only':
      return { mode, networkAccess: false };
    case 'workspace-write': {
      const ww = cfg.workspaceWrite;
      return {
        mode,
        writableRoots: withRoots ? (ww?.writableRoots ?? []).map((r) => canonicalPath(path.posix.resolve(base, expandHome(r, home)))) : [],
        networkAccess: ww?.networkAccess ?? false,
        excludeTmpdirEnvVar: ww?.excludeTmpdirEnvVar ?? false,
        excludeSlashTmp: ww?.excludeSlashTmp ?? false,
      };
    }
    default:
      return assertNever(mode, 'sandbox mode');
  }
}

/**
 * Resolve the effective filesystem/network policy from config.toml (legacy `sandbox_mode` or a `[permissions]` profile), the CLI flags and the environment; bad values throw a CodexError naming the key.
 *
 * @example
 *   const p = resolvePolicy({ cwd: '/work/repo', cli: { sandboxMode: 'workspace-write' } });
 *   p.rules; // [{ path: '/', access: 'read' }, { path: '/work/repo', access: 'write' }, …]
 */
export function resolvePolicy(given: ResolveInput): ResolvedPolicy {
  const os = given.os ?? currentOs();
  // Windows paths (cwd, config keys, writable_roots, USERPROFILE/TEMP) are mapped into the table's
  // `/`-separated space first; everything below works on that form.
  const parsed = given.sandbox ?? readSandboxConfig(given.config ?? {});
  const { input, cfg } = os === 'windows' ? windowsResolveInput(given, parsed) : { input: given, cfg: parsed };
  const env = input.env ?? process.env;
  const home = env.HOME;
  if (!path.posix.isAbsolute(input.cwd)) throw new CodexError('SANDBOX_BAD_PATH', `cwd must be absolute: ${input.cwd}`);
  const cwd = canonicalPath(input.cwd);
  const tmpdir = env.TMPDIR && env.TMPDIR.startsWith('/') ? canonicalPath(env.TMPDIR) : undefined;
  const slashTmp = slashTmpFor(os);
  const sel = selectPolicySource(cfg, input.cli ?? {}, input.defaultMode ?? 'read-only', laterThanFile(cfg.origins.sandboxMode) && !laterThanFile(cfg.origins.defaultPermissions));
  const rootsFile = cfg.origins.writableRoots?.file;
  const relativeBase = input.relativeBase ?? (rootsFile !== undefined ? path.posix.dirname(rootsFile) : cwd);

  let legacy: LegacySandboxPolicy | undefined;
  let source: PolicySource;
  let entries: SymbolicEntry[];
  let network: boolean;
  let globScanMaxDepth: number | undefined;
  const warnings: string[] = [];
  if (sel.kind === 'legacy') {
    legacy = legacyFromMode(sel.mode, cfg, relativeBase, home, true);
    source = { kind: 'legacy', mode: sel.mode, from: sel.from };
  } else {
    source = { kind: 'profile', name: sel.name, from: sel.from };
    const builtin = builtinLegacy(sel.name);
    if (builtin) legacy = builtin;
  }
  const addDirs = (input.cli?.addDirs ?? []).map((d) => canonicalPath(path.posix.resolve(cwd, expandHome(d, home))));
  if (addDirs.length > 0 && legacy?.mode === 'workspace-write') {
    const have = legacy.writableRoots;
    legacy = { ...legacy, writableRoots: [...have, ...addDirs.filter((d) => !have.includes(d))] };
  } else if (addDirs.length > 0 && legacy) {
    warnings.push(`--add-dir is ignored under ${legacy.mode}`);
  }
  if (legacy) {
    entries = legacyEntries(legacy);
    network = legacyNetwork(legacy);
  } else {
    if (sel.kind !== 'profile') throw new CodexError('INTERNAL', 'legacy selection without a legacy policy');
    if (sel.name.startsWith(':')) throw new CodexError('SANDBOX_UNKNOWN_PROFILE', `default_permissions refers to unknown built-in profile \`${sel.name}\``);
    if (!cfg.permissions) throw new CodexError('SANDBOX_UNKNOWN_PROFILE', `permissions profile \`${sel.name}\` is not defined: default_permissions requires a \`[permissions]\` table`);
    const compiled = compileProfile(sel.name, resolveProfileChain(cfg.permissions, sel.name), home);
    entries = compiled.entries;
    network = compiled.network;
    globScanMaxDepth = compiled.globScanMaxDepth;
    warnings.push(...compiled.warnings);
  }

  const workspaceRoots = [cwd];
  const extraRoots = legacy ? (legacy.mode === 'workspace-write' ? legacy.writableRoots : []) : addDirs;
  for (const r of extraRoots) if (!workspaceRoots.includes(r)) workspaceRoots.push(r);
  const ctx = { os, cwd, workspaceRoots, tmpdir, protectAws: legacy !== undefined, ...(globScanMaxDepth !== undefined ? { globScanMaxDepth } : {}) };

  const detailBase = { source, workspaceRoots, ...(globScanMaxDepth !== undefined ? { globScanMaxDepth } : {}) };
  if (legacy?.mode === 'danger-full-access') {
    return {
      unrestricted: true,
      rules: [{ path: '/', access: 'write' }],
      network: true,
      legacyEquivalent: true,
      cwd,
      detail: { ...detailBase, legacy, writableRoots: ['/'], protectedPaths: [], denyGlobs: [], minimalReadRoots: [], warnings },
    };
  }

  const table = compileTable(entries, ctx);
  warnings.push(...table.warnings);
  let legacyEquivalent = false;
  if (legacy) {
    legacyEquivalent = true;
  } else {
    const cand = legacyCandidate(table.rules, network, { cwd, tmpdir, slashTmp });
    if (cand) {
      const back = compileTable(legacyEntries(cand), { ...ctx, workspaceRoots: legacyWorkspaceRoots(cwd, cand), protectAws: true });
      if (sameAccess(back.rules, table.rules) && legacyNetwork(cand) === network) {
        legacyEquivalent = true;
        legacy = cand;
      }
    }
  }
  const detail: PolicyDetail = {
    ...detailBase,
    writableRoots: table.rules.filter((r) => r.access === 'write').map((r) => r.path),
    protectedPaths: table.protectedPaths,
    denyGlobs: table.denyGlobs,
    minimalReadRoots: table.minimalReadRoots,
    warnings,
  };
  if (legacy) detail.legacy = legacy;
  return { unrestricted: false, rules: table.rules, network, legacyEquivalent, cwd, detail };
}

function legacyWorkspaceRoots(cwd: string, l: LegacySandboxPolicy): string[] {
  const roots = [cwd];
  if (l.mode === 'workspace-write') for (const r of l.writableRoots) if (!roots.includes(r)) roots.push(r);
  return roots;
}

/** `default_permissions = ":read-only" | ":workspace" | ":danger-full-access"` selected directly. */
function builtinLegacy(name: string): LegacySandboxPolicy | undefined {
  switch (name) {
    case BUILTIN_READ_ONLY:
      return { mode: 'read-only', networkAccess: false };
    case BUILTIN_WORKSPACE:
      // Measured on 0.169: the built-in ignores [sandbox_workspace_write] entirely (roots, network, tmp flags).
      return { mode: 'workspace-write', writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: false, excludeSlashTmp: false };
    case BUILTIN_DANGER:
      return { mode: 'danger-full-access' };
    default:
      return undefined;
  }
}
