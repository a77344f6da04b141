// The sandbox: policy model and resolution, route decision, and the per-OS enforcers.
// Exports only what the core and the tests (through this path) use; sub-folders keep the rest.
export type { Access, FsRule, EffectivePolicy } from './types.js';
export {
  resolvePolicy, readSandboxConfig, accessOf, accessFor, canonicalPath, isWithin, isStrictlyWithin,
  normalizeRules, sameAccess, accessDiff, decisionPoints, globToRegExp,
  windowsToInternal, internalToWindows, isWindowsAbsolute,
  type ResolveInput, type ResolvedPolicy, type OsKind, type SandboxMode, type SandboxConfig,
} from './policy/index.js';
export { decideRoute, requireRoute, type PlatformFacts, type Backend, type RouteDecision } from './route.js';
export { decideWindows, type WindowsDecision } from './windows/index.js';
export { seatbeltProfile, seatbeltArgv, hostSeatbeltOptions, darwinUserCacheDir, globToSeatbeltRegex, SANDBOX_EXEC, type SeatbeltOptions } from './seatbelt/index.js';
export {
  prepareSandboxedSpawn, planSandboxedSpawn, sandboxStartupWarnings, refusal, checkSandboxCwd,
  bwrapUsernsProbe, sandboxHooksFromEnv, resolveCommand, landlockExec, plainExec, explain, explainText,
  EXIT_SANDBOX_SETUP, type SeccompVia, type RouteChoice, type SandboxHooks,
} from './linux/index.js';
