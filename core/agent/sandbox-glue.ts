// The agent's view of the sandbox: the session's EffectivePolicy (sandbox/policy) and the spawn
// preparation for one command (sandbox/linux), behind the SpawnPreparer the tools take.
import { prepareSandboxedSpawn, removePlaceholders, resolvePolicy, sandboxStartupWarnings, type ResolveInput, type ResolvedPolicy } from '../../sandbox/index.js';
import type { PreparedSpawn, SpawnRequest } from '../tools/index.js';

export type SandboxMode = 'read-only' | 'workspace-write' | 'danger-full-access';

export interface PolicyResult {
  policy: ResolvedPolicy;
  /** The legacy mode the policy matches (for turn_context and the model's permissions note). */
  mode: SandboxMode;
  warnings: string[];
}

/** The loaded config as the policy needs it: the effective table and the file layer (for 0.169's layering rules). */
export interface PolicyConfig {
  raw: Record<string, unknown>;
  file: Record<string, unknown>;
  codexHome: string;
}

/** The policy a loaded config and the CLI flags select, with the file layer 0.169's precedence needs. */
export function resolveConfiguredPolicy(config: PolicyConfig, cli: ResolveInput['cli'], cwd: string, env: NodeJS.ProcessEnv): ResolvedPolicy {
  return resolvePolicy({ config: config.raw, fileLayer: { table: config.file, dir: config.codexHome }, cwd, cli, env });
}

export function resolveSessionPolicy(config: PolicyConfig, cli: { sandboxMode?: string; fullAuto?: boolean }, cwd: string, env: NodeJS.ProcessEnv): PolicyResult {
  const policy = resolveConfiguredPolicy(config, cli, cwd, env);
  const warnings = [...(policy.detail.warnings ?? [])];
  try {
    for (const w of sandboxStartupWarnings({ policy, env })) warnings.push(w.message);
  } catch (e) {
    warnings.push(`sandbox start-up check failed: ${(e as Error).message}`);
  }
  const legacy = policy.detail.legacy?.mode;
  const mode: SandboxMode = policy.unrestricted ? 'danger-full-access' : (legacy ?? (policy.rules.some((r) => r.access === 'write') ? 'workspace-write' : 'read-only'));
  return { policy, mode, warnings };
}

/** SpawnPreparer: the command runs in `req.cwd` (a tool's workdir) under the session's rules. */
export function prepareSandboxedCommand(req: SpawnRequest): PreparedSpawn {
  // A pseudo-terminal child gets no extra fds: the sandbox then applies seccomp from inside.
  const s = prepareSandboxedSpawn({ policy: { ...req.policy, cwd: req.cwd }, command: req.command, env: req.env, ...(req.tty ? { seccompVia: 'reexec' as const } : {}) });
  return { file: s.file, args: s.args, argv0: s.argv0, env: s.env, cwd: req.cwd, extraFds: s.extraFds, dispose: () => s.dispose(), cleanup: () => removePlaceholders(s.placeholders) };
}
