export { resolvePolicy, selectPolicySource, currentOs, type ResolveInput, type ResolvedPolicy, type CliSandboxInput } from './resolve.js';
export { readSandboxConfig, parseAccess, parseSandboxMode, SANDBOX_MODES, type SandboxMode, type SandboxConfig } from './config.js';
export { canonicalPath, isWithin, isStrictlyWithin } from './paths.js';
export { accessFor } from './access.js';
export { normalizeRules, sameAccess, accessDiff, decisionPoints, probeBelow, parentRule, PERMISSIVENESS } from './table.js';
export { MINIMAL_READ_ROOTS, globToRegExp, type OsKind } from './compile.js';
export { BUILTIN_PROFILES, isBuiltinProfile } from './profiles.js';
export { policyShape, type PolicyShape } from './shape.js';
export { windowsToInternal, internalToWindows, isWindowsAbsolute, isWindowsInternal } from './windows-paths.js';
