export { prepareSandboxedSpawn, planSandboxedSpawn, sandboxStartupWarnings, refusal, checkSandboxCwd, type SeccompVia } from './spawn.js';
export type { RouteChoice } from './route.js';
export { bwrapUsernsProbe, sandboxHooksFromEnv, type SandboxHooks } from './probes.js';
export { resolveCommand } from './command.js';
export { landlockExec, plainExec, EXIT_SANDBOX_SETUP } from './enforce.js';
export { explain, explainText } from './explain.js';
