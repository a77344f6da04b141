export { seatbeltProfile, type SeatbeltOptions } from './profile.js';
export { seatbeltArgv, darwinUserCacheDir, hostSeatbeltOptions, SANDBOX_EXEC } from './argv.js';
export { globToSeatbeltRegex } from './glob-regex.js';
