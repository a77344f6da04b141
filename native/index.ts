export { loadAddon, isSea, nativeCacheRoot, type AddonName } from './assets.js';
export { zstdCompress, zstdDecompress } from './zstd.js';
export { koffi, libc, type KoffiApi } from './koffi.js';
export { landlockAbiVersion } from './landlock.js';
export { flockTry, flockWait, flockRelease } from './flock.js';
