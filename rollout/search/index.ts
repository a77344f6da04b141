// Search over the sessions' message text, plain and compressed (README "Sessions"). The fast path
// (libc and libzstd into the SIMD scanner's memory, a helper thread) lives wholly in this folder;
// search.ts is the way in.
export { settleSearches } from './helper.js';
export { searchSessions, type SearchHit, type SearchHooks, type SearchOptions, type SearchStats } from './search.js';
