// The boundary: read the sandbox-related keys of an already-parsed config.toml table (smol-toml
// output, -c overrides merged in) into typed values, rejecting anything Codex 0.169 rejects. This
// module owns the sandbox slice of the config; core composes the whole config from such slices.
import { CodexError, ConfigReader, describeOrigin, type ConfigOrigin, type OriginOf } from '../../protocol/index.js';
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
  /** Which layer set the values whose layer matters to 0.169's precedence (see resolve.ts). */
  origins: {
    sandboxMode?: ConfigOrigin;
    defaultPermissions?: ConfigOrigin;
    writableRoots?: ConfigOrigin;
  };
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

/**
 * The sandbox slice of an effective config table. `originOf` tells which layer set a key (file:line,
 * `-c`); without it every value counts as unlocated file content.
 *
 * @example
 *   readSandboxConfig({ sandbox_mode: 'workspace-write' }).sandboxMode; // 'workspace-write'
 *   readSandboxConfig({ sandbox_mode: 5 }); // throws CONFIG_TYPE: "config: `sandbox_mode` must be a string, got integer 5"
 */
export function readSandboxConfig(config: Table, originOf: OriginOf = () => undefined): SandboxConfig {
  const r = new ConfigReader(originOf);
  const out: SandboxConfig = { origins: {} };
  const mode = config.sandbox_mode;
  if (mode !== undefined) {
    const o = originOf(['sandbox_mode']);
    out.sandboxMode = parseSandboxMode(r.string(config, ['sandbox_mode']), o ? `sandbox_mode (${describeOrigin(o)})` : 'sandbox_mode');
    if (o) out.origins.sandboxMode = o;
  }
  const ww = r.table(config, ['sandbox_workspace_write']);
  if (ww !== undefined) {
    const at = ['sandbox_workspace_write'];
    out.workspaceWrite = {
      writableRoots: r.stringArray(ww, [...at, 'writable_roots']) ?? [],
      networkAccess: r.bool(ww, [...at, 'network_access']) ?? false,
      excludeTmpdirEnvVar: r.bool(ww, [...at, 'exclude_tmpdir_env_var']) ?? false,
      excludeSlashTmp: r.bool(ww, [...at, 'exclude_slash_tmp']) ?? false,
    };
    const o = ww.writable_roots !== undefined ? originOf([...at, 'writable_roots']) : undefined;
    if (o) out.origins.writableRoots = o;
  }
  const dp = r.string(config, ['default_permissions']);
  if (dp !== undefined) {
    out.defaultPermissions = dp;
    const o = originOf(['default_permissions']);
    if (o) out.origins.defaultPermissions = o;
  }
  const perms = r.table(config, ['permissions']);
  if (perms !== undefined) {
    out.permissions = new Map();
    for (const name of Object.keys(perms)) {
      if (name.startsWith(':')) throw invalid(`permissions profile \`${name}\` uses a reserved built-in profile prefix`);
      const prof = r.table(perms, ['permissions', name])!;
      out.permissions.set(name, readProfile(name, prof, r));
    }
  }
  return out;
}

function readProfile(name: string, t: Table, r: ConfigReader): ProfileToml {
  const at = ['permissions', name];
  const where = `permissions.${name}`;
  const p: ProfileToml = {};
  const ext = r.string(t, [...at, 'extends']);
  if (ext !== undefined) p.extends = ext;
  const fs = r.table(t, [...at, 'filesystem']);
  if (fs !== undefined) {
    p.filesystem = new Map();
    for (const [key, v] of Object.entries(fs)) {
      if (key === 'glob_scan_max_depth') {
        if (typeof v !== 'number' && typeof v !== 'bigint') r.fail([...at, 'filesystem', key], 'an integer', v);
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
  const net = r.table(t, [...at, 'network']);
  if (net !== undefined) {
    const en = r.bool(net, [...at, 'network', 'enabled']);
    if (en !== undefined) p.networkEnabled = en;
  }
  return p;
}
