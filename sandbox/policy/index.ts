export { resolvePolicy, type ResolveInput, type ResolvedPolicy } from './resolve.js';
export { readSandboxConfig, type SandboxConfig, type SandboxMode } from './config.js';
export { canonicalPath, isWithin, isStrictlyWithin } from './paths.js';
export { accessOf, accessFor } from './access.js';
export { normalizeRules, sameAccess, accessDiff, decisionPoints } from './table.js';
export { globToRegExp, type OsKind } from './compile.js';
export { policyShape } from './shape.js';
export { windowsToInternal, internalToWindows, isWindowsAbsolute, isWindowsInternal } from './windows-paths.js';
