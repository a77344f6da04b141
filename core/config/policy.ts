// The sandbox policy a loaded config selects, apart from the agent: `codex sandbox` needs it at
// every start, and importing it from core/agent would load the whole agent (model client, TLS).
import { resolvePolicy, type OsKind, type ResolveInput, type ResolvedPolicy } from '../../sandbox/index.js';
import { CodexError } from '../../protocol/index.js';
import type { CodexConfig } from './typed.js';

/** Windows hosts: the sandbox cannot run, so sandboxed commands are refused rather than run weaker. */
export function windowsRefusal(): CodexError {
  return new CodexError(
    'SANDBOX_UNSUPPORTED',
    'sandbox: no Windows sandbox backend is available in this build; refusing to run with weaker enforcement (use -s danger-full-access to run without a sandbox; `codex sandbox --explain --platform windows` shows what a backend would enforce)',
  );
}

/** The config as the policy needs it: the sandbox slice, with each value's origin. */
export type PolicyConfig = Pick<CodexConfig, 'sandbox'>;

/** The policy a loaded config and the CLI flags select. */
export function resolveConfiguredPolicy(config: PolicyConfig, cli: ResolveInput['cli'], cwd: string, env: NodeJS.ProcessEnv, os?: OsKind): ResolvedPolicy {
  return resolvePolicy({ sandbox: config.sandbox, cwd, ...(cli ? { cli } : {}), env, ...(os ? { os } : {}) });
}
