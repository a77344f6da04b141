export { seatbeltProfile, seatbeltArgv, SANDBOX_EXEC, type SeatbeltProfile } from './profile.js';
