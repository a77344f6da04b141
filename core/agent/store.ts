// The session store as the agent needs it: create a rollout, reopen one for append, read its records.
// Stand-in until rollout/ exports its recorder (RolloutRecorder.create/resume): same file layout and
// line format (plain .jsonl, one write(2) per line on O_APPEND, fsync at turn end).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zstdDecompress } from '../../native/index.js';
import { CodexError } from '../../protocol/index.js';

export interface SessionWriter {
  readonly id: string;
  readonly path: string;
  append(type: string, payload: unknown, at?: Date): void;
  flush(): void;
  close(): void;
}

export interface RolloutLine {
  timestamp?: string;
  ordinal?: number;
  type: string;
  payload: Record<string, unknown>;
}

const pad = (n: number) => String(n).padStart(2, '0');
const UUID_IN_NAME = /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl(\.zst)?$/i;

class FileWriter implements SessionWriter {
  private dirty = false;
  private closed = false;
  constructor(
    readonly id: string,
    readonly path: string,
    private readonly fd: number,
    private ordinal: number | undefined,
  ) {}
  append(type: string, payload: unknown, at = new Date()): void {
    if (this.closed) return;
    const obj: Record<string, unknown> = { timestamp: at.toISOString() };
    if (this.ordinal !== undefined) obj.ordinal = this.ordinal++;
    obj.type = type;
    obj.payload = payload;
    const buf = Buffer.from(JSON.stringify(obj) + '\n');
    fs.writeSync(this.fd, buf, 0, buf.length);
    this.dirty = true;
  }
  flush(): void {
    if (this.closed || !this.dirty) return;
    fs.fsyncSync(this.fd);
    this.dirty = false;
  }
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    fs.closeSync(this.fd);
  }
}

export function createSession(home: string, id: string, now: Date): SessionWriter {
  const dir = path.join(home, 'sessions', String(now.getFullYear()), pad(now.getMonth() + 1), pad(now.getDate()));
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}-${pad(now.getMinutes())}-${pad(now.getSeconds())}`;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `rollout-${stamp}-${id}.jsonl`);
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
  return new FileWriter(id, file, fd, 0);
}

/** Every rollout file (either form) under sessions/ and archived_sessions/. */
export function allRollouts(home: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let ents: fs.Dirent[];
    try {
      ents = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of ents) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (UUID_IN_NAME.test(e.name) && e.name.startsWith('rollout-')) out.push(p);
    }
  };
  walk(path.join(home, 'sessions'));
  walk(path.join(home, 'archived_sessions'));
  return out;
}

export function findRollout(home: string, id: string): string | undefined {
  const want = id.toLowerCase();
  const hits = allRollouts(home).filter((p) => UUID_IN_NAME.exec(path.basename(p))?.[1]?.toLowerCase() === want);
  return hits.find((p) => p.endsWith('.jsonl')) ?? hits[0];
}

/** The newest active session (file names sort by creation time). */
export function lastRollout(home: string): string | undefined {
  const act = allRollouts(path.join(home)).filter((p) => p.startsWith(path.join(home, 'sessions') + path.sep));
  act.sort((a, b) => path.basename(a).localeCompare(path.basename(b)));
  return act[act.length - 1];
}

export function idOfRollout(p: string): string {
  return UUID_IN_NAME.exec(path.basename(p))![1]!.toLowerCase();
}

/** Plain form of a rollout, materializing a `.zst` (temp + rename, then remove the .zst). */
export async function materialize(file: string): Promise<string> {
  if (!file.endsWith('.zst')) return file;
  const plain = file.slice(0, -4);
  if (fs.existsSync(plain)) return plain;
  const bytes = await zstdDecompress(fs.readFileSync(file));
  const tmp = `${plain}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o644);
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, plain);
  fs.rmSync(file, { force: true });
  return plain;
}

export function readLines(file: string): RolloutLine[] {
  const out: RolloutLine[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const o = JSON.parse(line) as RolloutLine;
      if (o && typeof o.type === 'string' && typeof o.payload === 'object' && o.payload !== null) out.push(o);
    } catch {
      /* a torn last line: skipped */
    }
  }
  return out;
}

export async function openForAppend(file: string): Promise<{ writer: SessionWriter; lines: RolloutLine[] }> {
  const plain = await materialize(file);
  const lines = readLines(plain);
  const hasOrdinals = lines.some((l) => typeof l.ordinal === 'number');
  const next = hasOrdinals ? Math.max(lines.length, ...lines.map((l) => (typeof l.ordinal === 'number' ? l.ordinal + 1 : 0))) : lines.length === 0 ? 0 : undefined;
  const fd = fs.openSync(plain, fs.constants.O_WRONLY | fs.constants.O_APPEND);
  const size = fs.fstatSync(fd).size;
  if (size > 0) {
    const b = Buffer.alloc(1);
    const rfd = fs.openSync(plain, 'r');
    fs.readSync(rfd, b, 0, 1, size - 1);
    fs.closeSync(rfd);
    if (b[0] !== 10) fs.writeSync(fd, '\n');
  }
  if (!UUID_IN_NAME.test(path.basename(plain))) throw new CodexError('ROLLOUT_CORRUPT', `not a rollout file name: ${plain}`);
  return { writer: new FileWriter(idOfRollout(plain), plain, fd, next), lines };
}
