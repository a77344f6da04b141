declare const __CODEX_VERSION__: string | undefined;

/** Set by the build from package.json; source runs (tests importing modules) report a dev version. */
export const CODEX_TS_VERSION: string = typeof __CODEX_VERSION__ === 'string' ? __CODEX_VERSION__ : '0.0.0-dev';

/** The Codex CLI release whose on-disk formats and behaviour we follow. */
export const REFERENCE_CODEX_VERSION = '0.169.0';
