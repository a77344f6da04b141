// `[sessions]` and its environment overrides, read once at the edge for rollout's lock options.
import { describe, expect, it } from 'vitest';
import { DEFAULT_WRITER_WAIT_MS } from '../../rollout/locks.js';
import { sessionStoreSettings } from './sessions.js';

describe('sessionStoreSettings', () => {
  it('defaults: nothing set, so rollout uses the store\'s lock directory and its 5 s wait', () => {
    expect(sessionStoreSettings({}, '/h', {})).toEqual({});
    expect(DEFAULT_WRITER_WAIT_MS).toBe(5000);
  });

  it('reads thread_lock_dir (relative to CODEX_HOME, ~/ expanded) and writer_lock_wait_seconds', () => {
    expect(sessionStoreSettings({ sessions: { thread_lock_dir: 'locks', writer_lock_wait_seconds: 2.5 } }, '/h', {})).toEqual({ lockDir: '/h/locks', timeoutMs: 2500 });
    expect(sessionStoreSettings({ sessions: { thread_lock_dir: '~/l' } }, '/h', { HOME: '/home/u' }).lockDir).toBe('/home/u/l');
    expect(sessionStoreSettings({ sessions: { thread_lock_dir: '/abs' } }, '/h', {}).lockDir).toBe('/abs');
    expect(sessionStoreSettings({ sessions: { writer_lock_wait_seconds: 0n } }, '/h', {}).timeoutMs).toBe(0);
  });

  it('the environment overrides the file', () => {
    const raw = { sessions: { thread_lock_dir: 'locks', writer_lock_wait_seconds: 2 } };
    expect(sessionStoreSettings(raw, '/h', { CODEX_TS_THREAD_LOCK_DIR: '/env/locks', CODEX_TS_WRITER_LOCK_WAIT_MS: '0' })).toEqual({ lockDir: '/env/locks', timeoutMs: 0 });
    expect(sessionStoreSettings(raw, '/h', { CODEX_TS_WRITER_LOCK_WAIT_MS: ' ' }).timeoutMs).toBe(2000);
  });

  it('bad values are CONFIG_TYPE (config) or CONFIG_INVALID (environment) with one clear message', () => {
    expect(() => sessionStoreSettings({ sessions: 5 }, '/h', {})).toThrow(expect.objectContaining({ code: 'CONFIG_TYPE', message: expect.stringContaining('`sessions` must be a table, got integer 5') }));
    expect(() => sessionStoreSettings({ sessions: { thread_lock_dir: '' } }, '/h', {})).toThrow(expect.objectContaining({ code: 'CONFIG_TYPE', message: expect.stringContaining('`sessions.thread_lock_dir` must be a non-empty path') }));
    expect(() => sessionStoreSettings({ sessions: { writer_lock_wait_seconds: -1 } }, '/h', {})).toThrow(expect.objectContaining({ code: 'CONFIG_TYPE' }));
    expect(() => sessionStoreSettings({}, '/h', { CODEX_TS_WRITER_LOCK_WAIT_MS: 'x' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('CODEX_TS_WRITER_LOCK_WAIT_MS') }));
  });
});
