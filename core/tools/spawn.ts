// Running one child under the session's sandbox. The sandbox-specific part is one injected function
// (`SpawnPreparer`): it turns {policy, cwd, command, env} into what to spawn.
import { spawn } from 'node:child_process';
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
const MAX_OUTPUT_BYTES = 64 * 1024;

export interface RunOptions {
  prepared: PreparedSpawn;
  timeoutMs?: number;
  signal?: AbortSignal;
  stdin?: string;
  maxOutputBytes?: number;
}

/** Spawn in its own process group so a timeout or Ctrl-C kills the whole tree. */
export function runPrepared(o: RunOptions): Promise<ExecResult> {
  const started = Date.now();
  const cap = o.maxOutputBytes ?? MAX_OUTPUT_BYTES;
  return new Promise((resolve) => {
    const all = new HeadTail(cap);
    const out = new HeadTail(cap);
    const err = new HeadTail(cap);
    let timedOut = false;
    let interrupted = false;
    let settled = false;
    childStarted();
    const child = spawn(o.prepared.file, o.prepared.args, {
      cwd: o.prepared.cwd,
      env: o.prepared.env,
      argv0: o.prepared.argv0,
      detached: true,
      stdio: [o.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe', ...(o.prepared.extraFds ?? [])],
    });
    o.prepared.dispose?.();
    const killTree = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const take = (into: HeadTail) => (c: Buffer) => {
      into.push(c);
      all.push(c);
    };
    child.stdout!.on('data', take(out));
    child.stderr!.on('data', take(err));
    if (o.stdin !== undefined) child.stdin!.end(o.stdin);
    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
    }, o.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const onAbort = () => {
      interrupted = true;
      killTree();
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (exitCode: number, spawnError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      // The group may outlive the leader (background jobs): end it too.
      if (timedOut || interrupted) killTree();
      childEnded(o.prepared.cleanup);
      resolve({
        exitCode,
        output: all.text(),
        stdout: out.text(),
        stderr: err.text(),
        timedOut,
        interrupted,
        droppedBytes: all.omitted,
        durationMs: Date.now() - started,
        spawnError,
      });
    };
    child.on('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ENOENT' ? 127 : 126, e.message));
    child.on('close', (code, sig) => {
      if (timedOut) return finish(124);
      finish(code ?? (sig ? 128 + (sigNum(sig) ?? 1) : 1));
    });
  });
}

function sigNum(sig: NodeJS.Signals): number | undefined {
  const table: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return table[sig];
}
