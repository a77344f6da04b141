export { loadAddon, loadedAddonFile, isSea, nativeCacheRoot, nodeBuiltin } from './assets.js';
export { zstdCompress, zstdDecompress } from './zstd.js';
export { BufferRegions, RawLoader, rawLoader, rawLoadPossible, type LoadRegions } from './raw-load.js';
export { landlockAbiVersion, landlockCreateRuleset, landlockAddPathRule, landlockRestrictSelf } from './landlock.js';
export { seccompInstall } from './seccomp.js';
export { setNoNewPrivs, resetStdioAndSignals, cloexecStrayFds, clearCloexec, execve, rawClose, SyscallError } from './process.js';
export { flockTry, flockWait, flockRelease } from './flock.js';
export { detachFromTerminal, dropAllCapabilities } from './privileges.js';
