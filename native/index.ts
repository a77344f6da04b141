export { loadAddon, loadedAddonFile, isSea, nativeCacheRoot, nodeBuiltin, type AddonName } from './assets.js';
export { zstdCompress, zstdDecompress } from './zstd.js';
export { BufferRegions, RawLoader, rawLoader, rawLoadPossible, type LoadRegions } from './raw-load.js';
export { koffi, libc, type KoffiApi } from './koffi.js';
export { landlockAbiVersion, landlockCreateRuleset, landlockAddPathRule, landlockRestrictSelf } from './landlock.js';
export { seccompInstall } from './seccomp.js';
export { setNoNewPrivs, resetStdioAndSignals, cloexecStrayFds, clearCloexec, execve, rawClose, errnoName, SyscallError } from './process.js';
export { flockTry, flockWait, flockRelease } from './flock.js';
export { capabilitySets, detachFromTerminal, dropAllCapabilities } from './privileges.js';
