// The sandbox policy a loaded config selects, apart from the agent: `codex sandbox` needs it at
// every start, and importing it from core/agent would load the whole agent (model client, TLS).
import { resolvePolicy, type OsKind, type ResolveInput, type ResolvedPolicy } from '../../sandbox/index.js';
import { CodexError } from '../../protocol/index.js';

/** Windows hosts: the sandbox cannot run, so sandboxed commands are refused rather than run weaker. */
export function windowsRefusal(): CodexError {
  return new CodexError(
    'SANDBOX_UNSUPPORTED',
    'sandbox: no Windows sandbox backend is available in this build; refusing to run with weaker enforcement (use -s danger-full-access to run without a sandbox; `codex sandbox --explain --platform windows` shows what a backend would enforce)',
  );
}

/** The loaded config as the policy needs it: the effective table and the file layer (for 0.169's layering rules). */
export interface PolicyConfig {
  raw: Record<string, unknown>;
  file: Record<string, unknown>;
  codexHome: string;
}

/** The policy a loaded config and the CLI flags select, with the file layer 0.169's precedence needs. */
export function resolveConfiguredPolicy(config: PolicyConfig, cli: ResolveInput['cli'], cwd: string, env: NodeJS.ProcessEnv, os?: OsKind): ResolvedPolicy {
  return resolvePolicy({ config: config.raw, fileLayer: { table: config.file, dir: config.codexHome }, cwd, cli, env, ...(os ? { os } : {}) });
}
