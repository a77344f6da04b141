// [permissions.<name>] profiles: built-ins, `extends` chains, and compilation of the filesystem table
// into symbolic entries (special tokens stay symbolic until cwd / workspace roots are known).
import * as path from 'node:path';
import { assertNever, CodexError } from '../../protocol/index.js';
import type { Access } from '../types.js';
import type { FsEntryToml, ProfileToml } from './config.js';
import { containsGlob, expandHome, normalizeAbsolute } from './paths.js';

export const BUILTIN_READ_ONLY = ':read-only';
export const BUILTIN_WORKSPACE = ':workspace';
export const BUILTIN_DANGER = ':danger-full-access';
export const BUILTIN_PROFILES = [BUILTIN_READ_ONLY, BUILTIN_WORKSPACE, BUILTIN_DANGER] as const;
export type BuiltinProfile = (typeof BUILTIN_PROFILES)[number];

/** What a built-in looks like when a user profile `extends` it (0.169: no `.git` entries here, protection is automatic). */
function extensibleBuiltin(name: string): ProfileToml | undefined {
  switch (name) {
    case BUILTIN_READ_ONLY:
      return { filesystem: new Map([[':root', { kind: 'access', access: 'read' }]]) };
    case BUILTIN_WORKSPACE:
      return {
        filesystem: new Map<string, FsEntryToml>([
          [':root', { kind: 'access', access: 'read' }],
          [':workspace_roots', { kind: 'scoped', entries: [['.', 'write']] }],
          [':slash_tmp', { kind: 'access', access: 'write' }],
          [':tmpdir', { kind: 'access', access: 'write' }],
        ]),
      };
    default:
      return undefined;
  }
}

function unknownProfile(msg: string): CodexError {
  return new CodexError('SANDBOX_UNKNOWN_PROFILE', msg);
}

/** Resolve `extends` (child entries override the parent's same-target entries) into one profile. */
export function resolveProfileChain(permissions: Map<string, ProfileToml>, name: string): ProfileToml {
  const chain: string[] = [];
  const seen = new Set<string>();
  let cur: string | undefined = name;
  const layers: ProfileToml[] = [];
  while (cur !== undefined) {
    if (seen.has(cur)) throw new CodexError('SANDBOX_POLICY_INVALID', `permissions profile inheritance cycle detected: ${[...chain, cur].join(' -> ')}`);
    seen.add(cur);
    chain.push(cur);
    const prof = permissions.get(cur);
    if (prof) {
      layers.push(prof);
      cur = prof.extends;
      continue;
    }
    if (chain.length === 1) throw unknownProfile(`default_permissions refers to undefined profile \`${cur}\``);
    const child = chain[chain.length - 2]!;
    if (cur === BUILTIN_DANGER) throw new CodexError('SANDBOX_POLICY_INVALID', `permissions profile \`${child}\` cannot extend unsupported built-in profile \`${cur}\``);
    const builtin = extensibleBuiltin(cur);
    if (!builtin) throw unknownProfile(`permissions profile \`${child}\` extends undefined profile \`${cur}\``);
    layers.push(builtin);
    cur = undefined;
  }
  // Apply from the root ancestor down to the selected profile.
  let merged: ProfileToml = {};
  for (const layer of layers.reverse()) merged = mergeProfile(merged, layer);
  return merged;
}

function mergeProfile(parent: ProfileToml, child: ProfileToml): ProfileToml {
  const out: ProfileToml = {};
  if (parent.filesystem || child.filesystem) {
    const fs = new Map(parent.filesystem ?? []);
    for (const [k, v] of child.filesystem ?? []) {
      const prev = fs.get(k);
      if (prev?.kind === 'scoped' && v.kind === 'scoped') {
        const m = new Map(prev.entries);
        for (const [s, a] of v.entries) m.set(s, a);
        fs.set(k, { kind: 'scoped', entries: [...m] });
      } else {
        fs.set(k, v);
      }
    }
    out.filesystem = fs;
  }
  const depth = child.globScanMaxDepth ?? parent.globScanMaxDepth;
  if (depth !== undefined) out.globScanMaxDepth = depth;
  const net = child.networkEnabled ?? parent.networkEnabled;
  if (net !== undefined) out.networkEnabled = net;
  return out;
}

export type SpecialPath = 'root' | 'minimal' | 'tmpdir' | 'slash_tmp';

/** A filesystem entry before the cwd / workspace roots / env are known. */
export type SymbolicTarget =
  | { kind: 'path'; path: string }
  | { kind: 'special'; special: SpecialPath }
  /** Each workspace root joined with `sub` ('' = the root itself). */
  | { kind: 'workspace'; sub: string }
  /** `none` glob: absolute pattern, or relative to each workspace root. */
  | { kind: 'glob'; pattern: string; workspaceRelative: boolean };

export interface SymbolicEntry {
  target: SymbolicTarget;
  access: Access;
}

export interface CompiledProfile {
  entries: SymbolicEntry[];
  globScanMaxDepth?: number;
  network: boolean;
  warnings: string[];
}

const SPECIALS: Record<string, SpecialPath | 'workspace'> = {
  ':root': 'root',
  ':minimal': 'minimal',
  ':tmpdir': 'tmpdir',
  ':slash_tmp': 'slash_tmp',
  ':workspace_roots': 'workspace',
  ':project_roots': 'workspace',
};

/**
 * What `":secrets"` stands for: the usual credential stores under $HOME (ours beyond 0.169: a
 * prompt-injected command under read-only can otherwise read them). `":secrets" = "none"`.
 */
export const SECRET_STORES: readonly string[] = [
  '.ssh',
  '.aws',
  '.azure',
  '.config/gcloud',
  '.config/gh',
  '.kube',
  '.docker/config.json',
  '.netrc',
  '.git-credentials',
  '.npmrc',
  '.pypirc',
  '.gnupg',
  '.password-store',
  '.local/share/keyrings',
];

export function compileProfile(name: string, profile: ProfileToml, home: string | undefined): CompiledProfile {
  const warnings: string[] = [];
  const entries: SymbolicEntry[] = [];
  const fs = profile.filesystem;
  if (!fs || fs.size === 0) {
    warnings.push(
      `Permissions profile \`${name}\` does not define any recognized filesystem entries. Filesystem access will remain restricted.`,
    );
  }
  let unboundedGlob = false;
  for (const [key, value] of fs ?? []) {
    if (key === ':secrets') {
      if (value.kind !== 'access') throw new CodexError('SANDBOX_POLICY_INVALID', 'filesystem path `:secrets` does not support nested entries');
      if (home === undefined) warnings.push('`:secrets` needs $HOME to find the credential stores; it is ignored');
      else for (const rel of SECRET_STORES) entries.push({ target: { kind: 'path', path: path.posix.join(normalizeAbsolute(home), rel) }, access: value.access });
      continue;
    }
    const special = key.startsWith(':') ? SPECIALS[key] : undefined;
    if (key.startsWith(':') && special === undefined) {
      warnings.push(`Configured filesystem path \`${key}\` is not recognized and will be ignored.`);
      continue;
    }
    switch (value.kind) {
      case 'access':
        entries.push(compileTop(key, special, value.access, home));
        if (value.access === 'none' && containsGlob(key) && key.includes('**')) unboundedGlob = true;
        break;
      case 'scoped':
        for (const [sub, access] of value.entries) {
          entries.push(compileScoped(key, special, sub, access, home));
          if (access === 'none' && containsGlob(sub) && sub.includes('**')) unboundedGlob = true;
        }
        break;
      default:
        assertNever(value, 'filesystem entry');
    }
  }
  if (unboundedGlob && profile.globScanMaxDepth === undefined) {
    warnings.push(
      `Permissions profile \`${name}\` has a \`none\` glob with \`**\`; matches are expanded at start-up up to depth ${DEFAULT_GLOB_SCAN_MAX_DEPTH}. Set glob_scan_max_depth to choose the depth.`,
    );
  }
  const out: CompiledProfile = { entries, network: profile.networkEnabled ?? false, warnings };
  if (profile.globScanMaxDepth !== undefined) out.globScanMaxDepth = profile.globScanMaxDepth;
  return out;
}

export const DEFAULT_GLOB_SCAN_MAX_DEPTH = 8;

function parseAbsolute(key: string, home: string | undefined): string {
  const p = expandHome(key, home);
  if (!p.startsWith('/')) {
    throw new CodexError('SANDBOX_BAD_PATH', `filesystem path \`${key}\` must be absolute, use \`~/...\`, or start with \`:\``);
  }
  return normalizeAbsolute(p);
}

/** Read/write globs are only allowed as a trailing `/**` (= the subtree); other globs must be `none`. */
function stripSubtreeGlob(p: string, access: Access): string {
  if (!containsGlob(p)) return p;
  const stripped = p.endsWith('/**') ? p.slice(0, -3) : p;
  if (!containsGlob(stripped)) return stripped;
  throw new CodexError(
    'SANDBOX_POLICY_INVALID',
    `filesystem glob path \`${p}\` only supports \`none\` access; use an exact path or trailing \`/**\` for \`${access}\` subtree access`,
  );
}

function compileTop(key: string, special: SpecialPath | 'workspace' | undefined, access: Access, home: string | undefined): SymbolicEntry {
  if (special === 'workspace') return { target: { kind: 'workspace', sub: '' }, access };
  if (special !== undefined) return { target: { kind: 'special', special }, access };
  if (containsGlob(key) && access === 'none') {
    return { target: { kind: 'glob', pattern: parseAbsolute(key, home), workspaceRelative: false }, access };
  }
  return { target: { kind: 'path', path: parseAbsolute(stripSubtreeGlob(key, access), home) }, access };
}

/** A scoped subpath: relative, only normal components (no `.`/`..`, not absolute); `.` alone = the base. */
export function parseRelativeSubpath(sub: string): string {
  const parts = sub.replace(/\/+$/, '').split('/');
  if (sub === '' || sub.startsWith('/') || parts.some((c) => c === '.' || c === '..' || c === '')) {
    throw new CodexError('SANDBOX_BAD_PATH', `filesystem subpath \`${sub}\` must be a descendant path without \`.\` or \`..\` components`);
  }
  return parts.join('/');
}

function compileScoped(
  key: string,
  special: SpecialPath | 'workspace' | undefined,
  sub: string,
  access: Access,
  home: string | undefined,
): SymbolicEntry {
  if (sub === '.') return compileTop(key, special, access, home);
  if (special !== undefined && special !== 'workspace') {
    throw new CodexError('SANDBOX_POLICY_INVALID', `filesystem path \`${key}\` does not support nested entries`);
  }
  if (containsGlob(sub) && access === 'none') {
    const rel = parseRelativeSubpath(sub);
    if (special === 'workspace') return { target: { kind: 'glob', pattern: rel, workspaceRelative: true }, access };
    return { target: { kind: 'glob', pattern: path.posix.join(parseAbsolute(key, home), rel), workspaceRelative: false }, access };
  }
  const rel = parseRelativeSubpath(stripSubtreeGlob(sub, access));
  if (special === 'workspace') return { target: { kind: 'workspace', sub: rel }, access };
  return { target: { kind: 'path', path: path.posix.join(parseAbsolute(key, home), rel) }, access };
}
