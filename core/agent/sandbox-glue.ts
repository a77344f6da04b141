// Where the agent gets its EffectivePolicy and its SpawnPreparer. Until sandbox/policy and
// sandbox/linux export theirs, a minimal legacy resolution and a plain bwrap argv stand in
// (swap these two functions for the sandbox module's, nothing else changes).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodexError } from '../../protocol/index.js';
import type { EffectivePolicy, FsRule } from '../../sandbox/index.js';
import type { PreparedSpawn, SpawnRequest } from '../tools/index.js';

export type SandboxMode = 'read-only' | 'workspace-write' | 'danger-full-access';
const MODES: readonly SandboxMode[] = ['read-only', 'workspace-write', 'danger-full-access'];

export function parseSandboxMode(v: unknown): SandboxMode {
  if (typeof v === 'string' && (MODES as readonly string[]).includes(v)) return v as SandboxMode;
  throw new CodexError('SANDBOX_UNKNOWN_MODE', `unknown sandbox mode ${JSON.stringify(v)} (expected ${MODES.join(', ')})`, { exitCode: 2 });
}

const real = (p: string) => {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
};

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface PolicyResult {
  policy: EffectivePolicy;
  mode: SandboxMode;
  warnings: string[];
}

/** Legacy sandbox_mode → EffectivePolicy (rules: read /, write roots, protected paths read-only). */
export function resolveSessionPolicy(config: Table, cliMode: SandboxMode | undefined, cwd: string, env: NodeJS.ProcessEnv): PolicyResult {
  const mode = cliMode ?? (config.sandbox_mode === undefined ? 'read-only' : parseSandboxMode(config.sandbox_mode));
  const c = real(cwd);
  if (mode === 'danger-full-access') return { mode, warnings: [], policy: { unrestricted: true, rules: [{ path: '/', access: 'write' }], network: true, legacyEquivalent: true, cwd: c } };
  const ww = isTable(config.sandbox_workspace_write) ? config.sandbox_workspace_write : {};
  const rules: FsRule[] = [{ path: '/', access: 'read' }];
  let network = false;
  if (mode === 'workspace-write') {
    network = ww.network_access === true;
    const roots = new Set<string>([c]);
    if (Array.isArray(ww.writable_roots)) for (const r of ww.writable_roots) if (typeof r === 'string') roots.add(real(path.resolve(c, r)));
    if (ww.exclude_slash_tmp !== true && fs.existsSync('/tmp')) roots.add(real('/tmp'));
    if (ww.exclude_tmpdir_env_var !== true && env.TMPDIR) roots.add(real(env.TMPDIR));
    for (const r of roots) {
      rules.push({ path: r, access: 'write' });
      for (const p of ['.git', '.codex', '.agents']) rules.push({ path: path.join(r, p), access: 'read' });
    }
  }
  return { mode, warnings: [], policy: { unrestricted: false, rules, network, legacyEquivalent: true, cwd: c } };
}

function findBwrap(cwd: string): string | undefined {
  for (const d of (process.env.PATH ?? '').split(':')) {
    if (!d) continue;
    const cand = path.join(d, 'bwrap');
    if (cand.startsWith(cwd + '/')) continue;
    try {
      fs.accessSync(cand, fs.constants.X_OK);
      return cand;
    } catch {
      /* next */
    }
  }
  const bundled = path.join(path.dirname(process.execPath), 'codex-resources', 'bwrap');
  return fs.existsSync(bundled) ? bundled : undefined;
}

/** Pure argv for bwrap from a rule table. */
export function bwrapArgs(policy: EffectivePolicy, cwd: string, command: string[], exists: (p: string) => boolean): string[] {
  const args = ['--new-session', '--die-with-parent'];
  const sorted = [...policy.rules].sort((a, b) => a.path.length - b.path.length);
  for (const r of sorted) {
    if (r.path === '/') {
      if (r.access !== 'none') args.push(r.access === 'write' ? '--bind' : '--ro-bind', '/', '/');
      continue;
    }
    if (!exists(r.path)) continue;
    if (r.access === 'write') args.push('--bind', r.path, r.path);
    else if (r.access === 'read') args.push('--ro-bind', r.path, r.path);
    else args.push('--tmpfs', r.path);
  }
  args.push('--dev', '/dev', '--proc', '/proc', '--unshare-pid');
  if (!policy.network) args.push('--unshare-net');
  args.push('--chdir', cwd, '--', ...command);
  return args;
}

export function prepareSandboxedSpawn(req: SpawnRequest): PreparedSpawn {
  if (req.policy.unrestricted) return { file: req.command[0]!, args: req.command.slice(1), env: req.env, cwd: req.cwd };
  const bwrap = findBwrap(req.cwd);
  if (!bwrap) throw new CodexError('SANDBOX_BWRAP_MISSING', 'bubblewrap (bwrap) is not installed: cannot sandbox the command');
  return { file: bwrap, args: bwrapArgs(req.policy, req.cwd, req.command, fs.existsSync), env: req.env, cwd: req.cwd };
}

