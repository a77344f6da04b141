// The search command's test hooks are read from the environment in one place, into typed options.
import { describe, expect, it } from 'vitest';
import { searchHooksFromEnv } from './search.js';

describe('searchHooksFromEnv', () => {
  it('is all defaults without the variables', () => {
    expect(searchHooksFromEnv({})).toEqual({ systemZstd: true, helperOnly: false, stats: undefined });
  });

  it('reads each hook', () => {
    expect(searchHooksFromEnv({ CODEX_TS_SYSTEM_ZSTD: '0', CODEX_TS_SEARCH_HELPER_ONLY: '1', CODEX_TS_SEARCH_STATS: '1' })).toEqual({
      systemZstd: false,
      helperOnly: true,
      stats: { helper: 0, main: 0 },
    });
    // Only the documented values turn a hook on.
    expect(searchHooksFromEnv({ CODEX_TS_SYSTEM_ZSTD: '1', CODEX_TS_SEARCH_HELPER_ONLY: 'yes', CODEX_TS_SEARCH_STATS: '0' })).toEqual({ systemZstd: true, helperOnly: false, stats: undefined });
  });
});
