export { seatbeltProfile, seatbeltProtections, gitdirTarget, SEATBELT_PROTECTED_NAMES, type SeatbeltProfile, type SeatbeltOptions } from './profile.js';
export { seatbeltArgv, darwinUserCacheDir, hostSeatbeltOptions, SANDBOX_EXEC } from './argv.js';
export { globToSeatbeltRegex } from './glob-regex.js';
