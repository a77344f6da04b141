// A child process started without node:child_process. Loading that module also loads net, stream
// and their helpers (~2 ms at every start of `codex sandbox`, the path bench/startup measures against
// Codex 0.169), though a child whose stdio is inherited or handed over as fds needs none of them.
// Node's own process_wrap binding, the one child_process.spawn drives, starts it instead. The
// binding is internal to node; the executable embeds its node, so the binding's shape is fixed per
// build, and where it is missing or unlike what is expected this uses child_process.spawn, which
// means the same (test/native/lean-spawn.test.ts runs both).
import { constants as osConstants } from 'node:os';

export interface LeanSpawnOptions {
  file: string;
  /** The child's argv, argv[0] included (it need not be `file`). */
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Where the child starts (default: our cwd). */
  cwd?: string;
  /** The child's fd i is our fd `fds[i]` ('ignore': closed, or /dev/null for 0–2). */
  fds: readonly (number | 'ignore')[];
  /** Pass SIGINT, SIGTERM and SIGHUP sent to this process on to the child. */
  forwardSignals?: boolean;
  /** false: node:child_process even where the binding is there (tests run both ways). */
  useBinding?: boolean;
}

export interface LeanChild {
  readonly pid: number;
  /** Sends a signal; a child that has exited already is not an error. */
  kill(signal: NodeJS.Signals): void;
  /** Settles once the child has exited: its exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The error of a child that could not be started: `code` is the errno's name (ENOENT, EACCES…), as node:child_process gives it. */
export class SpawnError extends Error {
  constructor(
    readonly file: string,
    readonly code: string,
  ) {
    super(`cannot start ${file}: ${code}`);
  }
}

interface ProcessHandle {
  pid: number;
  onexit: (exitCode: number, signalCode: string) => void;
  spawn(options: object): number;
  kill(signal: number): number;
  close(): void;
}

/**
 * Starts `file`; resolves once it runs, rejects with SpawnError when it cannot be started.
 *
 * @example
 * const child = await leanSpawn({ file: '/usr/bin/bwrap', argv: ['bwrap', ...args], env: process.env, fds: [0, 1, 2, seccompFd] });
 * const { code, signal } = await child.exited;
 */
export async function leanSpawn(o: LeanSpawnOptions): Promise<LeanChild> {
  const Process = o.useBinding === false ? undefined : processWrap();
  const child = Process ? viaBinding(Process, o) : await viaChildProcess(o);
  if (o.forwardSignals) for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig));
  return child;
}

/**
 * The status a shell reports for an exit: 128 + the signal's number, else the exit code.
 *
 * @example
 *   process.exitCode = shellStatus(await child.exited);
 */
export function shellStatus(e: { code: number | null; signal: NodeJS.Signals | null }): number {
  if (e.signal) return 128 + (osConstants.signals[e.signal] ?? 0);
  return e.code ?? 1;
}

function processWrap(): (new () => ProcessHandle) | undefined {
  try {
    const binding = (process as unknown as { binding(name: string): { Process?: unknown } }).binding('process_wrap');
    const P = binding.Process;
    return typeof P === 'function' && typeof P.prototype.spawn === 'function' && typeof P.prototype.kill === 'function' ? (P as new () => ProcessHandle) : undefined;
  } catch {
    return undefined;
  }
}

function envPairs(env: NodeJS.ProcessEnv): string[] {
  const pairs: string[] = [];
  for (const [k, v] of Object.entries(env)) if (v !== undefined) pairs.push(`${k}=${v}`);
  return pairs;
}

function viaBinding(Process: new () => ProcessHandle, o: LeanSpawnOptions): LeanChild {
  const handle = new Process();
  let settle!: (r: { code: number | null; signal: NodeJS.Signals | null }) => void;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => (settle = resolve));
  let done = false;
  handle.onexit = (exitCode, signalCode) => {
    done = true;
    handle.close();
    settle(signalCode ? { code: null, signal: signalCode as NodeJS.Signals } : { code: exitCode, signal: null });
  };
  const err = handle.spawn({
    file: o.file,
    args: [...o.argv],
    envPairs: envPairs(o.env),
    ...(o.cwd !== undefined ? { cwd: o.cwd } : {}),
    stdio: o.fds.map((fd) => (fd === 'ignore' ? { type: 'ignore' } : { type: 'fd', fd })),
    detached: false,
    windowsHide: false,
    windowsVerbatimArguments: false,
  });
  if (err !== 0) {
    handle.close();
    throw new SpawnError(o.file, errnoName(err));
  }
  return {
    pid: handle.pid,
    kill(signal) {
      const n = osConstants.signals[signal];
      if (!done && typeof n === 'number') handle.kill(n);
    },
    exited,
  };
}

function viaChildProcess(o: LeanSpawnOptions): Promise<LeanChild> {
  const { spawn } = process.getBuiltinModule('node:child_process');
  const child = spawn(o.file, o.argv.slice(1), { argv0: o.argv[0], env: o.env, cwd: o.cwd, stdio: o.fds.map((fd) => (fd === 'ignore' ? 'ignore' : fd)) });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.once('error', (e: NodeJS.ErrnoException) => reject(new SpawnError(o.file, e.code ?? 'UNKNOWN')));
    child.once('spawn', () => resolve({ pid: child.pid ?? -1, kill: (signal) => void child.kill(signal), exited }));
  });
}

/** A libuv error number (negative errno) as its name. */
function errnoName(err: number): string {
  try {
    return process.getBuiltinModule('node:util').getSystemErrorName(err);
  } catch {
    return `errno ${-err}`;
  }
}
