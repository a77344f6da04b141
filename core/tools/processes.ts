// The session's running commands (unified exec): a command that outlives its exec_command call stays
// here, reachable by its session id, until it ends, is polled to its end, or the session closes.
import type { LiveProcess } from './live-process.js';
import type { ToolEvent } from './events.js';

/** At most this many commands are kept per session (0.169's bound); ended ones, then the least recently used, go first. */
export const MAX_PROCESSES = 64;

export interface ProcessEntry {
  id: number;
  proc: LiveProcess;
  callId: string;
  command: string[];
  cwd: string;
  lastUsed: number;
  /** Where the command's end is reported (the events of the call that started it). */
  emit: (e: ToolEvent) => void;
}

export class ProcessManager {
  private readonly entries = new Map<number, ProcessEntry>();

  get size(): number {
    return this.entries.size;
  }

  /** A fresh id (five digits, as 0.169's), never one in use. */
  private newId(): number {
    for (;;) {
      const id = 1000 + Math.floor(Math.random() * 99000);
      if (!this.entries.has(id)) return id;
    }
  }

  /** Keep a running command; returns its id. Over the bound, the least recently used one is killed. */
  add(e: Omit<ProcessEntry, 'id' | 'lastUsed'>): { id: number; evicted?: ProcessEntry } {
    let evicted: ProcessEntry | undefined;
    if (this.entries.size >= MAX_PROCESSES) {
      // Commands that already ended (not yet polled) go first, then the least recently used.
      evicted = [...this.entries.values()].sort((a, b) => Number(a.proc.running) - Number(b.proc.running) || a.lastUsed - b.lastUsed)[0];
      if (evicted) {
        evicted.proc.kill();
        this.entries.delete(evicted.id);
      }
    }
    const id = this.newId();
    this.entries.set(id, { ...e, id, lastUsed: Date.now() });
    return { id, evicted };
  }

  get(id: number): ProcessEntry | undefined {
    const e = this.entries.get(id);
    if (e) e.lastUsed = Date.now();
    return e;
  }

  remove(id: number): void {
    this.entries.delete(id);
  }

  /** Kill every command still running (session end, Ctrl-C) and wait for them; returns what was killed. */
  async closeAll(): Promise<ProcessEntry[]> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.proc.killAndWait()));
    return all;
  }
}
