// A new UI session's rollout is written only once there is something to keep (the first turn), as
// Codex 0.169 does: opening `codex` and quitting leaves no file and no entry in the picker.
import { CodexError } from '../../protocol/index.js';
import type { SessionWriter } from '../agent/index.js';

export class DeferredWriter implements SessionWriter {
  private real?: SessionWriter;
  private opening?: Promise<SessionWriter>;
  private closed = false;

  constructor(
    readonly id: string,
    private readonly create: () => Promise<SessionWriter>,
  ) {}

  /** Whether the rollout file exists yet. */
  get written(): boolean {
    return this.real !== undefined;
  }

  get path(): string {
    return this.real?.path ?? '(not written yet: nothing sent in this session)';
  }

  /** Create the rollout (once); call before the first turn. */
  async open(): Promise<void> {
    if (this.closed) throw new CodexError('INTERNAL', 'rollout recorder is closed');
    this.opening ??= this.create();
    try {
      this.real = await this.opening;
    } catch (e) {
      // The next turn tries again (e.g. once another writer let go of the thread).
      this.opening = undefined;
      throw e;
    }
  }

  append(type: string, payload: unknown, at?: Date): void {
    if (!this.real) throw new CodexError('INTERNAL', 'rollout not created yet (open() before the first turn)');
    this.real.append(type, payload, at);
  }

  flush(): void {
    this.real?.flush();
  }

  close(): void {
    this.closed = true;
    this.real?.close();
    // A creation still under way is closed as soon as it finishes.
    if (!this.real) void this.opening?.then((w) => w.close(), () => undefined);
  }
}
