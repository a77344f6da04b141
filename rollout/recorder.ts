// The recorder: appends to a plain `.jsonl` only, one whole line per write(2) on an O_APPEND fd,
// fsync at turn end and shutdown, holding the thread writer lock for as long as the file is open.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodexError, REFERENCE_CODEX_VERSION } from '../protocol/index.js';
import { rolloutTimestamp, serializeRecord, type JsonObject } from './format.js';
import { acquireThreadWriterLock, type WaitOptions, type ThreadWriterLock } from './locks.js';
import { findById } from './lookup.js';
import { materializeLocked } from './materialize.js';
import { newRolloutPath } from './paths.js';
import { readRecords } from './reader.js';
import { uuidv7 } from './uuid.js';
import { fsyncDir } from './fsutil.js';

export interface NewSessionOptions {
  /** Thread id (default: a fresh UUID v7). */
  id?: string;
  cwd: string;
  /** `exec`, `cli`, … (default `exec`). */
  source?: string;
  originator?: string;
  cliVersion?: string;
  modelProvider?: string;
  baseInstructions?: string;
  /** Extra session_meta fields (e.g. git info); they go after the standard ones. */
  extraMeta?: JsonObject;
  now?: Date;
  lock?: WaitOptions;
}

export class RolloutRecorder {
  private closed = false;
  private dirty = false;

  private constructor(
    readonly id: string,
    readonly path: string,
    private readonly fd: number,
    private readonly lock: ThreadWriterLock,
    /** Next ordinal, or undefined when the file has no ordinals (older format: we add none either). */
    private nextOrdinal: number | undefined,
  ) {}

  /** Start a new session file with a session_meta first line shaped like Codex 0.169's. */
  static async create(home: string, opts: NewSessionOptions): Promise<RolloutRecorder> {
    const now = opts.now ?? new Date();
    const id = opts.id ?? uuidv7(now.getTime());
    const file = newRolloutPath(home, now, id);
    const lock = await acquireThreadWriterLock(home, id, opts.lock);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
      fsyncDir(path.dirname(file));
      const rec = new RolloutRecorder(id, file, fd, lock, 0);
      const ts = rolloutTimestamp(now);
      const meta: JsonObject = {
        session_id: id,
        id,
        timestamp: ts,
        cwd: opts.cwd,
        runtime_workspace_roots: [opts.cwd],
        originator: opts.originator ?? 'codex_exec',
        cli_version: opts.cliVersion ?? REFERENCE_CODEX_VERSION,
        source: opts.source ?? 'exec',
        thread_source: 'user',
        model_provider: opts.modelProvider ?? 'openai',
        ...(opts.baseInstructions !== undefined ? { base_instructions: { text: opts.baseInstructions } } : {}),
        // 0.169's record format: with `paginated`, Codex continues our ordinals when it resumes the file.
        history_mode: 'paginated',
        context_window: { window_id: uuidv7(now.getTime()) },
        git: {},
        ...opts.extraMeta,
      };
      rec.append('session_meta', meta, now);
      rec.flush();
      return rec;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** Reopen a thread for append: lock, materialize a `.zst` back to plain, continue the ordinals. */
  static async resume(home: string, id: string, opts: { lock?: WaitOptions } = {}): Promise<RolloutRecorder> {
    const entry = findById(home, id);
    if (!entry) throw new CodexError('SESSION_NOT_FOUND', `no session with id '${id}'`);
    const lock = await acquireThreadWriterLock(home, entry.id, opts.lock);
    try {
      // Re-resolve under the lock: an archive or compression may have moved it meanwhile.
      const now = findById(home, entry.id);
      if (!now) throw new CodexError('SESSION_NOT_FOUND', `no session with id '${id}'`);
      const { path: plain } = await materializeLocked(now.path, { home, id: entry.id });
      if (fs.statSync(plain).isDirectory()) throw new CodexError('ROLLOUT_NOT_A_FILE', `${plain} is a directory, not a rollout file (see codex sessions doctor)`);
      const nextOrdinal = await nextOrdinalOf(plain);
      const fd = openForAppend(plain);
      // A crash mid-append can leave a last line without newline: start ours on a fresh line.
      if (!endsWithNewline(plain)) fs.writeSync(fd, '\n');
      return new RolloutRecorder(entry.id, plain, fd, lock, nextOrdinal);
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** Append one record we create; returns its line text. */
  append(type: string, payload: unknown, at: Date = new Date()): string {
    const line = serializeRecord({ timestamp: rolloutTimestamp(at), ordinal: this.nextOrdinal, type, payload });
    this.appendLine(line);
    if (this.nextOrdinal !== undefined) this.nextOrdinal++;
    return line;
  }

  /** Append an exact line (e.g. copied from another rollout). One write(2), never split. */
  appendLine(line: string): void {
    if (this.closed) throw new CodexError('INTERNAL', 'rollout recorder is closed');
    if (line.includes('\n')) throw new CodexError('INTERNAL', 'a rollout line cannot contain a newline');
    const buf = Buffer.from(line + '\n', 'utf8');
    const n = fs.writeSync(this.fd, buf, 0, buf.length);
    if (n !== buf.length) throw new CodexError('IO_ERROR', `short write to ${this.path} (${n} of ${buf.length} bytes)`);
    this.dirty = true;
  }

  /** fsync: call at turn end. */
  flush(): void {
    if (this.closed || !this.dirty) return;
    fs.fsyncSync(this.fd);
    this.dirty = false;
  }

  /** fsync, close, and drop the thread lock. Idempotent. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      try {
        fs.closeSync(this.fd);
      } finally {
        this.lock.release();
      }
    }
  }
}

/** O_APPEND open with the store's codes: a file we may not write is an unwritable store. */
function openForAppend(file: string): number {
  try {
    return fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new CodexError('ROLLOUT_STORE_UNWRITABLE', `cannot append to ${file} (${code})`, { cause: e });
    if (code === 'EISDIR') throw new CodexError('ROLLOUT_NOT_A_FILE', `${file} is a directory, not a rollout file`, { cause: e });
    throw e;
  }
}

function endsWithNewline(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return true;
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, size - 1);
    return b[0] === 10;
  } finally {
    fs.closeSync(fd);
  }
}

async function nextOrdinalOf(file: string): Promise<number | undefined> {
  // Ordinals belong to the paginated record format (session_meta.history_mode); legacy files get none.
  let paginated = false;
  let last = -1;
  let count = 0;
  await readRecords(file, {
    onRecord: (r) => {
      if (count++ === 0) paginated = r.kind === 'session_meta' && r.payload.history_mode === 'paginated';
      if (r.ordinal !== undefined && r.ordinal > last) last = r.ordinal;
    },
  });
  if (!paginated) return undefined;
  return last + 1;
}
