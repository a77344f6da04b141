// Running one child under the session's sandbox. The sandbox-specific part is one injected function
// (`SpawnPreparer`): it turns {policy, cwd, command, env} into what to spawn.
import type { Options } from 'execa';
import { childEnded, childStarted } from './cleanup-gate.js';
import { HeadTail } from './head-tail.js';
import type { EffectivePolicy } from '../../sandbox/index.js';

export interface SpawnRequest {
  policy: EffectivePolicy;
  cwd: string;
  command: string[];
  env: NodeJS.ProcessEnv;
  /** The command gets a pseudo-terminal (no extra fds can be passed to it). */
  tty?: boolean;
}

export interface PreparedSpawn {
  file: string;
  args: string[];
  argv0?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Extra fds for the child as stdio[3], stdio[4], … (e.g. the sandbox's seccomp program). */
  extraFds?: number[];
  /** Called once the child has started (closes our copies of extraFds). */
  dispose?: () => void;
  /** Called once the child has ended (e.g. removes the sandbox's placeholder dirs). */
  cleanup?: () => void;
}

export type SpawnPreparer = (req: SpawnRequest) => PreparedSpawn;

/** The one result shape of every child the tools run. */
export interface ExecResult {
  exitCode: number;
  /** stdout and stderr interleaved: head and tail within `maxOutputBytes`, the middle cut and counted. */
  output: string;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  interrupted: boolean;
  /** Bytes cut from the middle of `output`. */
  droppedBytes: number;
  durationMs: number;
  /** Set when the child could not be started at all. */
  spawnError?: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** What a one-shot run keeps of its output (head + tail); more is cut from the middle, never held. */
export const MAX_OUTPUT_BYTES = 64 * 1024;

export interface RunOptions {
  prepared: PreparedSpawn;
  timeoutMs?: number;
  signal?: AbortSignal;
  stdin?: string;
  maxOutputBytes?: number;
}

/**
 * Run one prepared child through execa (its timeout, cancellation, and one result shape) in its own
 * process group, so a timeout or Ctrl-C kills the whole tree. Output is read as it arrives into
 * head + tail buffers (`buffer: false`): execa's `maxBuffer` would keep only the head and end the
 * command, where a tool result needs both ends and the command left to finish.
 */
export async function runPrepared(o: RunOptions): Promise<ExecResult> {
  const started = Date.now();
  const cap = o.maxOutputBytes ?? MAX_OUTPUT_BYTES;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const all = new HeadTail(cap);
  const out = new HeadTail(cap);
  const err = new HeadTail(cap);
  childStarted();
  // Loaded at the first tool call, not at every start of the executable.
  const { execa } = await import('execa');
  const start = () => execa(o.prepared.file, o.prepared.args, {
    cwd: o.prepared.cwd,
    env: o.prepared.env,
    extendEnv: false,
    ...(o.prepared.argv0 !== undefined ? { argv0: o.prepared.argv0 } : {}),
    // Its own process group (execa's exit clean-up skips detached children: `liveGroups` does it).
    detached: true,
    // Extra fds (the seccomp program) go to the child as they are (execa passes a plain fd through).
    stdio: [o.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe', ...(o.prepared.extraFds ?? [])] as Options['stdio'],
    buffer: false,
    encoding: 'buffer',
    reject: false,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    forceKillAfterDelay: false,
    ...(o.signal ? { cancelSignal: o.signal } : {}),
  });
  let child: ReturnType<typeof start>;
  try {
    child = start();
  } catch (e) {
    // Options execa refuses (not a spawn failure, which comes back as a result): still one result, and the clean-up runs.
    o.prepared.dispose?.();
    childEnded(o.prepared.cleanup);
    const message = e instanceof Error ? e.message : String(e);
    return { exitCode: 126, output: '', stdout: '', stderr: '', timedOut: false, interrupted: false, droppedBytes: 0, durationMs: Date.now() - started, spawnError: message };
  }
  o.prepared.dispose?.();
  const pid = child.pid;
  if (pid !== undefined) {
    liveGroups.add(pid);
    watchExit();
  }
  const take = (into: HeadTail) => (c: Buffer) => {
    into.push(c);
    all.push(c);
  };
  child.stdout?.on('data', take(out));
  child.stderr?.on('data', take(err));
  if (o.stdin !== undefined) child.stdin?.end(o.stdin);
  // execa's timeout and cancellation end the group leader; the rest of the group (background jobs,
  // a pipeline's other members) is ended here, as soon as the leader is gone.
  child.once('exit', () => {
    if (pid === undefined) return;
    liveGroups.delete(pid);
    if (o.signal?.aborted || Date.now() - started >= timeoutMs) killGroup(pid);
  });
  const r = await child;
  childEnded(o.prepared.cleanup);
  // A child that never started: no status, the cause is spawn's own error (ENOENT, EACCES…).
  const cause: unknown = r.failed && r.exitCode === undefined && r.signal === undefined ? (r as { cause?: unknown }).cause : undefined;
  const spawnError = cause instanceof Error ? cause : undefined;
  const exitCode = spawnError
    ? (spawnError as NodeJS.ErrnoException).code === 'ENOENT'
      ? 127
      : 126
    : r.timedOut
      ? 124
      : (r.exitCode ?? (r.signal ? 128 + (sigNum(r.signal) ?? 1) : 1));
  return {
    exitCode,
    output: all.text(),
    stdout: out.text(),
    stderr: err.text(),
    timedOut: r.timedOut,
    interrupted: r.isCanceled,
    droppedBytes: all.omitted,
    durationMs: Date.now() - started,
    spawnError: spawnError?.message,
  };
}

/** Process groups of running children: ended when this process exits (execa's clean-up skips detached children). */
const liveGroups = new Set<number>();
let exitHook = false;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

function watchExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const pid of liveGroups) killGroup(pid);
  });
}

function sigNum(sig: NodeJS.Signals): number | undefined {
  const table: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return table[sig];
}
