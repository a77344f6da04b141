// `codex sandbox --explain --platform macos|windows [-s MODE | --permissions NAME] [-C DIR] [-- CMD…]`:
// what the macOS or Windows sandbox would do with this policy, on any machine — the exact SBPL text
// and `-D` parameters for sandbox-exec, or the Windows backend (or the fail-closed refusal) and the
// roots it would enforce. Also `codex sandbox` on macOS: the command runs under sandbox-exec.
import * as path from 'node:path';
import { CodexError } from '../../protocol/index.js';
import {
  SANDBOX_EXEC,
  hostSeatbeltOptions,
  decideRoute,
  decideWindows,
  isWindowsAbsolute,
  internalToWindows,
  resolveCommand,
  seatbeltArgv,
  seatbeltProfile,
  type EffectivePolicy,
  type WindowsDecision,
} from '../../sandbox/index.js';
import { loadConfig, resolveConfiguredPolicy } from '../config/index.js';
import { shQuote } from '../../protocol/index.js';
import type { CliContext } from './context.js';
import { leanSpawn, shellStatus, SpawnError, type LeanChild } from '../../native/index.js';

export const MACOS_VERIFIED_NOTE =
  'note: this macOS profile is verified by golden-file and SBPL-evaluator tests (last matching rule wins) run on Linux, not by running on macOS.';
export const WINDOWS_VERIFIED_NOTE = 'note: this Windows decision is verified by table tests run on Linux, not by running on Windows; no Windows backend is implemented here yet.';

export type ExplainPlatform = 'macos' | 'windows';

export interface PlatformArgs {
  platform: string;
  explain: boolean;
  json: boolean;
  sandboxMode?: string;
  fullAuto: boolean;
  permissions?: string;
  cd?: string;
  config: string[];
  command: string[];
}

function describeSource(p: EffectivePolicy): string {
  const d = p.detail;
  if (!d) return 'given';
  return d.source.kind === 'legacy' ? `sandbox_mode ${d.source.mode} (from ${d.source.from})` : `permissions profile '${d.source.name}' (from ${d.source.from})`;
}

export interface MacosExplanation {
  platform: 'macos';
  policy: string;
  network: boolean;
  route: string;
  reason: string;
  /** Absent for danger-full-access (no sandbox). */
  profile?: string;
  params?: Array<[string, string]>;
  argv?: string[];
  userCacheDir?: string;
  warnings: string[];
  note: string;
}

export function explainMacos(policy: EffectivePolicy, command: readonly string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): MacosExplanation {
  const d = decideRoute(policy, { os: 'macos' });
  const base = {
    platform: 'macos' as const,
    policy: describeSource(policy),
    network: policy.network,
    route: d.ok ? `${d.backend}/${d.mode}` : `refused [${d.code}]`,
    reason: d.reason,
    warnings: policy.detail?.warnings ?? [],
    note: MACOS_VERIFIED_NOTE,
  };
  if (policy.unrestricted) return base;
  const opts = hostSeatbeltOptions(env, platform);
  const userCacheDir = opts.userCacheDir;
  const { profile, params } = seatbeltProfile(policy, opts);
  const argv = seatbeltArgv(policy, command.length ? command : ['CMD…'], opts);
  return { ...base, profile, params, argv, ...(userCacheDir ? { userCacheDir } : {}) };
}

export function macosText(e: MacosExplanation): string {
  const out = [`platform: macos (Seatbelt, ${SANDBOX_EXEC})`, `policy: ${e.policy}`, `route: ${e.route} — ${e.reason}`, `network: ${e.network ? 'on' : 'off'}`];
  for (const w of e.warnings) out.push(`warning: ${w}`);
  if (e.profile && e.params && e.argv) {
    out.push(
      e.network
        ? e.userCacheDir
          ? `per-user cache folder: ${e.userCacheDir}`
          : 'per-user cache folder: not known on this machine (on macOS: getconf DARWIN_USER_CACHE_DIR); it is writable there when the network is on'
        : 'per-user cache folder: not writable (network off)',
    );
    out.push('parameters (-D):');
    for (const [k, v] of e.params) out.push(`  -D${k}=${v}`);
    out.push(`argv: ${[e.argv[0], '-p', '<profile below>', ...e.argv.slice(3).map(shQuote)].join(' ')}`);
    out.push('profile:', e.profile.trimEnd());
  }
  out.push(e.note);
  return out.join('\n') + '\n';
}

export interface WindowsExplanation {
  platform: 'windows';
  policy: string;
  network: boolean;
  elevated: WindowsDecision;
  unelevated: WindowsDecision;
  warnings: string[];
  note: string;
}

export function explainWindows(policy: EffectivePolicy, env: NodeJS.ProcessEnv): WindowsExplanation {
  const temp = [env.TEMP, env.TMP].find((t) => t !== undefined && isWindowsAbsolute(t));
  const facts = (elevated: boolean) => ({ elevated, ...(temp ? { tempDir: temp } : {}) });
  // Roots in Windows syntax for people and JSON readers alike.
  const shown = (d: WindowsDecision): WindowsDecision => {
    if (!d.ok || d.backend === 'none') return d;
    const w = (ps: string[]) => ps.map(internalToWindows);
    return { ...d, roots: { ...d.roots, readRoots: w(d.roots.readRoots), writeRoots: w(d.roots.writeRoots), readOnlyCarveouts: w(d.roots.readOnlyCarveouts) } };
  };
  return {
    platform: 'windows',
    policy: describeSource(policy),
    network: policy.network,
    elevated: shown(decideWindows(policy, facts(true))),
    unelevated: shown(decideWindows(policy, facts(false))),
    warnings: policy.detail?.warnings ?? [],
    note: WINDOWS_VERIFIED_NOTE,
  };
}

function decisionText(label: string, d: WindowsDecision): string[] {
  if (!d.ok) return [`${label}: refused [${d.code}] — ${d.reason}`];
  if (d.backend === 'none') return [`${label}: no sandbox — ${d.reason}`];
  const show = (ps: string[]) => (ps.length ? ps.join(', ') : '(none)');
  const out = [`${label}: ${d.backend}/${d.mode} — ${d.reason}`];
  out.push(`  read: ${d.roots.fullRead ? 'every drive' : show(d.roots.readRoots)}`);
  if (d.systemReadRoots) out.push('  read (backend-managed system roots): C:\\Windows, C:\\Program Files, C:\\Program Files (x86), C:\\ProgramData');
  out.push(`  write: ${show(d.roots.writeRoots)}`);
  out.push(`  read-only under writable roots: ${show(d.roots.readOnlyCarveouts)}`);
  return out;
}

export function windowsText(e: WindowsExplanation): string {
  const out = [`platform: windows`, `policy: ${e.policy}`, `network: ${e.network ? 'on' : 'off'}`, 'paths: compared case-insensitively, shown folded to lower case'];
  for (const w of e.warnings) out.push(`warning: ${w}`);
  out.push(...decisionText('elevated', e.elevated), ...decisionText('unelevated (restricted token)', e.unelevated), e.note);
  return out.join('\n') + '\n';
}

/** The `--platform` branch of `codex sandbox`. */
export function sandboxPlatformMain(ctx: CliContext, a: PlatformArgs): number {
  if (a.platform !== 'macos' && a.platform !== 'windows') {
    throw new CodexError('USAGE', `unknown --platform '${a.platform}' (macos, windows)`);
  }
  if (!a.explain) throw new CodexError('USAGE', '--platform describes another platform\'s sandbox and needs --explain');
  const platform: ExplainPlatform = a.platform;
  let cwd: string;
  if (platform === 'windows') {
    const dir = a.cd ?? (process.platform === 'win32' ? process.cwd() : undefined);
    if (dir === undefined) throw new CodexError('USAGE', '--platform windows needs -C DIR with a Windows path (e.g. -C C:\\Users\\me\\project)');
    cwd = dir;
  } else {
    cwd = path.resolve(a.cd ?? process.cwd());
  }
  const config = loadConfig({ overrides: [...ctx.overrides, ...a.config], enable: ctx.enable, disable: ctx.disable });
  const policy = resolveConfiguredPolicy(config, { sandboxMode: a.sandboxMode, fullAuto: a.fullAuto, permissions: a.permissions }, cwd, process.env, platform);
  if (platform === 'macos') {
    const e = explainMacos(policy, a.command, process.env);
    process.stdout.write(a.json ? JSON.stringify(e) + '\n' : macosText(e));
  } else {
    const e = explainWindows(policy, process.env);
    process.stdout.write(a.json ? JSON.stringify(e) + '\n' : windowsText(e));
  }
  return 0;
}

/**
 * `codex sandbox -- CMD` on macOS: run it under sandbox-exec and exit with its status. Started as
 * bwrap is on Linux (native/lean-spawn.ts: no child_process or execa modules to load): signals sent
 * to us are passed on, and a program that cannot start is one clear error.
 */
export async function runUnderSeatbelt(policy: EffectivePolicy, command: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  for (const w of policy.detail?.warnings ?? []) process.stderr.write(`codex: warning: ${w}\n`);
  const resolved = resolveCommand(command[0]!, env.PATH, policy.cwd);
  const argv = policy.unrestricted ? [resolved, ...command.slice(1)] : explainMacos(policy, [resolved, ...command.slice(1)], env).argv!;
  let child: LeanChild;
  try {
    child = await leanSpawn({ file: argv[0]!, argv, env, cwd: policy.cwd, fds: [0, 1, 2], forwardSignals: true });
  } catch (e) {
    if (!(e instanceof SpawnError)) throw e;
    throw new CodexError('SANDBOX_SETUP_FAILED', `cannot start ${argv[0]}: ${e.code}`, { exitCode: 125, cause: e });
  }
  return shellStatus(await child.exited);
}
