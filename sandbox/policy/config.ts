// The boundary: read the sandbox-related keys of an already-parsed config.toml table (smol-toml
// output, -c overrides merged in) into typed values, rejecting anything Codex 0.169 rejects.
import { CodexError } from '../../protocol/index.js';
import type { Access } from '../types.js';

export type SandboxMode = 'read-only' | 'workspace-write' | 'danger-full-access';
export const SANDBOX_MODES: readonly SandboxMode[] = ['read-only', 'workspace-write', 'danger-full-access'];

export interface WorkspaceWriteToml {
  writableRoots: string[];
  networkAccess: boolean;
  excludeTmpdirEnvVar: boolean;
  excludeSlashTmp: boolean;
}

/** One value in a `[permissions.X.filesystem]` table: an access, or a scoped table of subpath → access. */
export type FsEntryToml = { kind: 'access'; access: Access } | { kind: 'scoped'; entries: Array<[string, Access]> };

export interface ProfileToml {
  extends?: string;
  /** undefined when the profile has no `filesystem` table at all. */
  filesystem?: Map<string, FsEntryToml>;
  globScanMaxDepth?: number;
  /** `network.enabled`, undefined when not set. */
  networkEnabled?: boolean;
}

export interface SandboxConfig {
  sandboxMode?: SandboxMode;
  workspaceWrite?: WorkspaceWriteToml;
  defaultPermissions?: string;
  /** `[permissions]`, undefined when absent. Keys keep their config order. */
  permissions?: Map<string, ProfileToml>;
}

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function invalid(msg: string): CodexError {
  return new CodexError('SANDBOX_POLICY_INVALID', msg);
}

export function parseSandboxMode(v: unknown, where: string, exitCode?: number): SandboxMode {
  if (typeof v === 'string' && (SANDBOX_MODES as readonly string[]).includes(v)) return v as SandboxMode;
  throw new CodexError(
    'SANDBOX_UNKNOWN_MODE',
    `unknown sandbox mode ${JSON.stringify(v)} in ${where}, expected one of ${SANDBOX_MODES.join(', ')}`,
    exitCode === undefined ? {} : { exitCode },
  );
}

/** `read` | `write` | `none` (0.169 also accepts `deny` as a spelling of `none`). */
export function parseAccess(v: unknown, where: string): Access {
  if (v === 'read' || v === 'write' || v === 'none') return v;
  if (v === 'deny') return 'none';
  throw new CodexError('SANDBOX_UNKNOWN_ACCESS', `unknown access level ${JSON.stringify(v)} for ${where}, expected read, write or none`);
}

function optBool(t: Table, key: string, where: string): boolean | undefined {
  const v = t[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw invalid(`${where}.${key} must be a boolean`);
  return v;
}

function optString(t: Table, key: string, where: string): string | undefined {
  const v = t[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalid(`${where}.${key} must be a string`);
  return v;
}

export function readSandboxConfig(config: Table): SandboxConfig {
  const out: SandboxConfig = {};
  if (config.sandbox_mode !== undefined) out.sandboxMode = parseSandboxMode(config.sandbox_mode, 'sandbox_mode');
  const ww = config.sandbox_workspace_write;
  if (ww !== undefined) {
    if (!isTable(ww)) throw invalid('sandbox_workspace_write must be a table');
    const roots = ww.writable_roots ?? [];
    if (!Array.isArray(roots) || !roots.every((r): r is string => typeof r === 'string')) {
      throw invalid('sandbox_workspace_write.writable_roots must be an array of strings');
    }
    out.workspaceWrite = {
      writableRoots: roots,
      networkAccess: optBool(ww, 'network_access', 'sandbox_workspace_write') ?? false,
      excludeTmpdirEnvVar: optBool(ww, 'exclude_tmpdir_env_var', 'sandbox_workspace_write') ?? false,
      excludeSlashTmp: optBool(ww, 'exclude_slash_tmp', 'sandbox_workspace_write') ?? false,
    };
  }
  const dp = optString(config, 'default_permissions', 'config');
  if (dp !== undefined) out.defaultPermissions = dp;
  const perms = config.permissions;
  if (perms !== undefined) {
    if (!isTable(perms)) throw invalid('permissions must be a table');
    out.permissions = new Map();
    for (const [name, prof] of Object.entries(perms)) {
      if (name.startsWith(':')) throw invalid(`permissions profile \`${name}\` uses a reserved built-in profile prefix`);
      if (!isTable(prof)) throw invalid(`permissions.${name} must be a table`);
      out.permissions.set(name, readProfile(name, prof));
    }
  }
  return out;
}

function readProfile(name: string, t: Table): ProfileToml {
  const where = `permissions.${name}`;
  const p: ProfileToml = {};
  const ext = optString(t, 'extends', where);
  if (ext !== undefined) p.extends = ext;
  const fs = t.filesystem;
  if (fs !== undefined) {
    if (!isTable(fs)) throw invalid(`${where}.filesystem must be a table`);
    p.filesystem = new Map();
    for (const [key, v] of Object.entries(fs)) {
      if (key === 'glob_scan_max_depth') {
        if (typeof v !== 'number' && typeof v !== 'bigint') throw invalid(`${where}.filesystem.glob_scan_max_depth must be an integer`);
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw invalid('glob_scan_max_depth must be at least 1');
        p.globScanMaxDepth = n;
        continue;
      }
      if (isTable(v)) {
        const entries: Array<[string, Access]> = [];
        for (const [sub, a] of Object.entries(v)) entries.push([sub, parseAccess(a, `${where}.filesystem."${key}"."${sub}"`)]);
        p.filesystem.set(key, { kind: 'scoped', entries });
      } else {
        p.filesystem.set(key, { kind: 'access', access: parseAccess(v, `${where}.filesystem."${key}"`) });
      }
    }
  }
  const net = t.network;
  if (net !== undefined) {
    if (!isTable(net)) throw invalid(`${where}.network must be a table`);
    const en = optBool(net, 'enabled', `${where}.network`);
    if (en !== undefined) p.networkEnabled = en;
  }
  return p;
}
