// Stable error codes shared by every program. A CLI prints `<prog>: <message> [<code>]`
// on stderr and exits with the status attached to the error.

export const EXIT = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  TIMEOUT: 124,
  /** The sandbox could not be set up (bwrap/Landlock/seccomp step failed): distinct from a denial inside the command. */
  SANDBOX_SETUP: 125,
  NOT_EXECUTABLE: 126,
  NOT_FOUND: 127,
} as const;

export type ErrorCode =
  // entry / CLI
  | 'USAGE'
  | 'UNKNOWN_COMMAND'
  | 'UNKNOWN_FLAG'
  | 'NOT_BUILT_YET'
  | 'NOT_SUPPORTED'
  | 'NOT_A_TERMINAL'
  | 'CODEX_HOME_MISSING'
  | 'CODEX_HOME_UNREADABLE'
  | 'INTERNAL'
  | 'ARG_NOT_UTF8'
  | 'NATIVE_LOAD_FAILED'
  | 'IO_ERROR'
  // config / features
  | 'CONFIG_PARSE'
  | 'CONFIG_INVALID'
  | 'CONFIG_TYPE'
  | 'CONFIG_WRITE'
  | 'UNKNOWN_FEATURE'
  // patch
  | 'PATCH_PARSE'
  | 'PATCH_CONTEXT_NOT_FOUND'
  | 'PATCH_FILE_NOT_FOUND'
  | 'PATCH_NOT_UTF8'
  | 'PATCH_IS_DIRECTORY'
  | 'PATCH_WRITE_FAILED'
  | 'PATCH_EMPTY'
  | 'PATCH_READ_ONLY'
  // rollout
  | 'SESSION_NOT_FOUND'
  | 'SESSION_AMBIGUOUS'
  | 'ROLLOUT_CORRUPT'
  | 'ROLLOUT_ZSTD_CORRUPT'
  | 'ROLLOUT_LOCKED'
  | 'ROLLOUT_NAME_COLLISION'
  | 'ROLLOUT_STORE_UNWRITABLE'
  | 'BAD_CURSOR'
  | 'ROLLOUT_TRUNCATED'
  | 'ROLLOUT_TORN_LINE'
  | 'ROLLOUT_UNREADABLE'
  | 'ROLLOUT_NOT_A_FILE'
  | 'ROLLOUT_EMPTY'
  | 'ROLLOUT_NOT_A_ROLLOUT'
  | 'ROLLOUT_LOCK_TIMEOUT'
  | 'BAD_DURATION'
  // compression
  | 'COMPRESS_LOCKED'
  | 'COMPRESS_VERIFY_FAILED'
  // sandbox
  | 'SANDBOX_UNKNOWN_MODE'
  | 'SANDBOX_UNKNOWN_PROFILE'
  | 'SANDBOX_UNKNOWN_ACCESS'
  | 'SANDBOX_BAD_PATH'
  | 'SANDBOX_POLICY_INVALID'
  | 'SANDBOX_UNSUPPORTED'
  | 'SANDBOX_WSL1'
  | 'SANDBOX_SETUP_FAILED'
  | 'SANDBOX_BWRAP_MISSING'
  | 'SANDBOX_NONE_PATH_MOVED'
  | 'EXEC_NOT_FOUND'
  | 'EXEC_NOT_EXECUTABLE'
  // core / model
  | 'MODEL_HTTP'
  | 'MODEL_BAD_REQUEST'
  | 'MODEL_UNAUTHORIZED'
  | 'MODEL_CONTEXT_WINDOW'
  | 'MODEL_QUOTA'
  | 'MODEL_STREAM'
  | 'MODEL_RETRIES_EXHAUSTED'
  | 'MODEL_NO_API_KEY'
  | 'CA_BUNDLE_INVALID'
  | 'TOOL_FAILED'
  | 'NOT_A_GIT_REPO'
  | 'INTERRUPTED';

export class CodexError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  override readonly cause?: unknown;

  constructor(code: ErrorCode, message: string, opts: { exitCode?: number; cause?: unknown } = {}) {
    super(message);
    this.name = 'CodexError';
    this.code = code;
    this.exitCode = opts.exitCode ?? (code === 'USAGE' || code === 'UNKNOWN_COMMAND' || code === 'UNKNOWN_FLAG' ? EXIT.USAGE : EXIT.FAILURE);
    this.cause = opts.cause;
  }
}

export function isCodexError(e: unknown): e is CodexError {
  return e instanceof CodexError;
}

/** One line for stderr: never a stack trace. */
export function formatError(prog: string, e: unknown): { line: string; exitCode: number } {
  if (isCodexError(e)) {
    return { line: `${prog}: ${oneLine(e.message)} [${e.code}]`, exitCode: e.exitCode };
  }
  const err = e as NodeJS.ErrnoException | undefined;
  if (err && typeof err === 'object' && typeof err.code === 'string' && typeof err.message === 'string') {
    return { line: `${prog}: ${oneLine(err.message)} [IO_ERROR]`, exitCode: EXIT.FAILURE };
  }
  const msg = err && typeof err === 'object' && 'message' in err ? String(err.message) : String(e);
  return { line: `${prog}: internal error: ${oneLine(msg)} [INTERNAL]`, exitCode: EXIT.FAILURE };
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' | ').trim();
}

/** Exhaustiveness guard for `switch` on tagged unions. */
export function assertNever(x: never, what = 'value'): never {
  throw new CodexError('INTERNAL', `unexpected ${what}: ${JSON.stringify(x)}`);
}

/**
 * A failed file operation's error as the short text 0.169 prints (`No such file or directory`, …),
 * without the errno code or the syscall, for use after `<what>: `.
 *
 * @example
 *   try { fs.readFileSync(p) } catch (err) { throw new CodexError('PATCH_FILE_NOT_FOUND', `Failed to read ${p}: ${errText(err)}`) }
 */
export function errText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'EROFS':
      return 'Read-only file system';
    case 'ENOSPC':
      return 'No space left on device';
    default:
      return e?.message ?? String(err);
  }
}
