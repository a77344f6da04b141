// The agent's view of the sandbox: the session's EffectivePolicy (sandbox/policy) and the spawn
// preparation for one command (sandbox/linux; on macOS sandbox/seatbelt), behind the SpawnPreparer
// the tools take.
import {
  hostSeatbeltOptions,
  prepareSandboxedSpawn,
  sandboxStartupWarnings,
  seatbeltArgv,
  type ResolvedPolicy,
  type SandboxMode,
} from '../../sandbox/index.js';
import { resolveConfiguredPolicy, windowsRefusal, type PolicyConfig } from '../config/index.js';
import type { PreparedSpawn, SpawnRequest } from '../tools/index.js';

export type { SandboxMode };

export interface PolicyResult {
  policy: ResolvedPolicy;
  /** The legacy mode the policy matches (for turn_context and the model's permissions note). */
  mode: SandboxMode;
  warnings: string[];
}

export function resolveSessionPolicy(config: PolicyConfig, cli: { sandboxMode?: string; fullAuto?: boolean }, cwd: string, env: NodeJS.ProcessEnv): PolicyResult {
  const policy = resolveConfiguredPolicy(config, cli, cwd, env);
  const warnings = [...(policy.detail.warnings ?? [])];
  try {
    // bubblewrap / Landlock start-up checks concern the Linux route only.
    if (process.platform === 'linux') for (const w of sandboxStartupWarnings({ policy, env })) warnings.push(w.message);
  } catch (e) {
    warnings.push(`sandbox start-up check failed: ${(e as Error).message}`);
  }
  const legacy = policy.detail.legacy?.mode;
  const mode: SandboxMode = policy.unrestricted ? 'danger-full-access' : (legacy ?? (policy.rules.some((r) => r.access === 'write') ? 'workspace-write' : 'read-only'));
  return { policy, mode, warnings };
}

/** SpawnPreparer: the command runs in `req.cwd` (a tool's workdir) under the session's rules. */
export function prepareSandboxedCommand(req: SpawnRequest): PreparedSpawn {
  return preparerFor(process.platform)(req);
}

/**
 * The preparer for a platform. macOS: `/usr/bin/sandbox-exec -p PROFILE -D… -- command` (nothing when
 * the policy is danger-full-access); tested on Linux by the argv it returns. Elsewhere: the Linux route.
 */
export function preparerFor(platform: NodeJS.Platform): (req: SpawnRequest) => PreparedSpawn {
  if (platform === 'darwin') {
    return (req) => {
      if (req.policy.unrestricted) return { file: req.command[0]!, args: req.command.slice(1), env: req.env, cwd: req.cwd };
      const argv = seatbeltArgv({ ...req.policy, cwd: req.cwd }, req.command, hostSeatbeltOptions(req.env, platform));
      const env: NodeJS.ProcessEnv = { ...req.env, CODEX_SANDBOX: 'seatbelt' };
      if (!req.policy.network) env.CODEX_SANDBOX_NETWORK_DISABLED = '1';
      return { file: argv[0]!, args: argv.slice(1), env, cwd: req.cwd };
    };
  }
  if (platform === 'win32') {
    // No Windows enforcement backend exists here yet: only danger-full-access runs (fail closed).
    return (req) => {
      if (req.policy.unrestricted) return { file: req.command[0]!, args: req.command.slice(1), env: req.env, cwd: req.cwd };
      throw windowsRefusal();
    };
  }
  return (req) => {
    // A pseudo-terminal child gets no extra fds: the sandbox then applies seccomp from inside.
    const s = prepareSandboxedSpawn({ policy: { ...req.policy, cwd: req.cwd }, command: req.command, env: req.env, ...(req.tty ? { seccompVia: 'reexec' as const } : {}) });
    return { file: s.file, args: s.args, argv0: s.argv0, env: s.env, cwd: req.cwd, extraFds: s.extraFds, dispose: () => s.dispose(), cleanup: () => s.release() };
  };
}
