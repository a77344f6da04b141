// One command started by exec_command that may outlive its call: pipes or a pseudo-terminal, output
// kept as head + tail within the budget (what arrived since the last poll, and the whole life for the
// command's record), the whole process group killed on demand.
import { spawn } from 'node:child_process';
import { childEnded, childStarted } from './cleanup-gate.js';
import { HeadTail } from './head-tail.js';
import { spawnPty } from './pty.js';
import type { PreparedSpawn } from './spawn.js';

/** Bytes kept of a command's output for its record (exec_command_end, the command item). */
export const RECORD_BUDGET_BYTES = 10_000;

export class LiveProcess {
  readonly started = Date.now();
  exitCode: number | undefined;
  readonly pid: number | undefined;
  /** Output since the last take(). */
  private readonly recent: HeadTail;
  /** Output of the whole life, for the record. */
  readonly all = new HeadTail(RECORD_BUDGET_BYTES);
  private readonly write_: ((s: string) => void) | undefined;
  private readonly exited: Promise<void>;
  private wake: (() => void) | undefined;
  spawnError: string | undefined;

  constructor(
    prepared: PreparedSpawn,
    readonly tty: boolean,
    budgetBytes: number,
    failure?: string,
    /** Whether stderr is part of the output (else it is dropped). */
    withStderr = true,
  ) {
    this.recent = new HeadTail(budgetBytes);
    let done!: () => void;
    this.exited = new Promise<void>((r) => (done = r));
    let cleaned = false;
    if (failure !== undefined) {
      cleaned = true;
      this.spawnError = failure;
      this.exitCode = 126;
      done();
      return;
    }
    childStarted();
    const onData = (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      this.recent.push(b);
      this.all.push(b);
      this.wake?.();
    };
    const finish = (code: number) => {
      if (this.exitCode !== undefined) return;
      this.exitCode = code;
      if (!cleaned) {
        cleaned = true;
        childEnded(prepared.cleanup);
      }
      done();
      this.wake?.();
    };
    // A pseudo-terminal comes from node-pty (execa has none).
    if (tty) {
      let child;
      try {
        child = spawnPty({
          file: prepared.file,
          args: prepared.args,
          env: prepared.env,
          cwd: prepared.cwd,
          onExit: (code, sig) => {
            // The last output may still be in the master's buffer: let the stream drain first.
            setTimeout(() => finish(sig ? 128 + sig : code), 20);
          },
        });
      } catch (e) {
        prepared.dispose?.();
        this.spawnError = (e as Error).message;
        finish(126);
        return;
      }
      prepared.dispose?.();
      this.pid = child.pid;
      child.stream.on('data', onData);
      this.write_ = (s) => void child.stream.write(s);
    } else {
      // node:child_process, not execa: this child has no timeout and no result (it is polled, then
      // killed on demand), and its end counts before a background job closes the pipes.
      const child = spawn(prepared.file, prepared.args, {
        cwd: prepared.cwd,
        env: prepared.env,
        argv0: prepared.argv0,
        detached: true,
        // Without a terminal, stdin is closed (as in 0.169): write_stdin needs `tty: true`.
        stdio: ['ignore', 'pipe', 'pipe', ...(prepared.extraFds ?? [])],
      });
      prepared.dispose?.();
      this.pid = child.pid;
      child.stdout!.on('data', onData);
      if (withStderr) child.stderr!.on('data', onData);
      else child.stderr!.resume();
      child.on('error', (e: NodeJS.ErrnoException) => {
        this.spawnError = e.message;
        finish(e.code === 'ENOENT' ? 127 : 126);
      });
      const codeOf = (code: number | null, sig: NodeJS.Signals | null) => code ?? (sig ? 128 + (SIGNALS[sig] ?? 1) : 1);
      child.on('close', (code, sig) => finish(codeOf(code, sig)));
      // A background job may keep the pipes open after the command itself ended: the command's end
      // counts, once what it wrote has had a moment to drain.
      child.on('exit', (code, sig) => setTimeout(() => finish(codeOf(code, sig)), 100).unref());
    }
  }

  /** A command that could not be started at all (reported as exit 126 with the reason). */
  static failed(reason: string): LiveProcess {
    return new LiveProcess({ file: '', args: [], env: {}, cwd: '/' }, false, 1024, reason);
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Wait until the process ends, `ms` pass, or the signal fires. */
  async wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (!this.running) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(end, ms);
      const onAbort = () => end();
      signal?.addEventListener('abort', onAbort, { once: true });
      void this.exited.then(end);
      function end() {
        clearTimeout(t);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }
    });
  }

  /** Output since the last call (head + tail within the budget), and how much there was. */
  take(budgetBytes?: number): { text: string; totalBytes: number } {
    const kept = budgetBytes === undefined ? this.recent : this.recent.withBudget(budgetBytes);
    const r = { text: kept.text(), totalBytes: this.recent.total };
    this.recent.reset();
    return r;
  }

  /** Send characters to a terminal process. False when it has no terminal (stdin is closed). */
  write(chars: string): boolean {
    if (!this.write_) return false;
    this.write_(chars);
    return true;
  }

  /** SIGKILL to the whole process group (the command and everything it started). */
  kill(): void {
    if (this.pid === undefined || !this.running) return;
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }

  async killAndWait(): Promise<void> {
    this.kill();
    await this.wait(2000);
  }
}

const SIGNALS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
