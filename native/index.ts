export { loadAddon, loadedAddonFile, embeddedProgram, isSea, nativeCacheRoot, nodeBuiltin } from './assets.js';
export { zstdCompress, zstdDecompress } from './zstd.js';
export { rawIoFromFile, RAW_OPEN_READ, type RawIo, type RawZstd } from './raw-io.js';
export { rawIo } from './koffi.js';
export { landlockAbiVersion, landlockCreateRuleset, landlockAddPathRule, landlockRestrictSelf } from './landlock.js';
export { seccompInstall } from './seccomp.js';
export { setNoNewPrivs, resetStdioAndSignals, cloexecStrayFds, clearCloexec, execve, rawClose, SyscallError } from './process.js';
export { flockTry, flockWait, flockRelease } from './flock.js';
export { detachFromTerminal, dropAllCapabilities } from './privileges.js';
