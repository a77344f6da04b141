// Reading rollouts in either form. `X.jsonl` wins over `X.jsonl.zst` when both exist; `.zst` is
// decoded as a stream (libzstd, native/zstd-stream.ts) so heads and early-exit scans never inflate
// whole files. Where libzstd.so.1 cannot be loaded, the addon decodes whole files instead (a head
// then costs the whole file's decoding; same content, same warnings). Damage is reported through
// warnings; a reader never deletes or rewrites anything.
import * as fs from 'node:fs';
import { zstdDecompress, zstdStreamDecoder, ZstdStreamError } from '../native/index.js';
import { recordsOfLine, LineSplitter } from './lines.js';
import type { RolloutRecord } from './format.js';
import type { StoreWarning, WarningSink } from './warnings.js';

const CHUNK = 64 * 1024;

export function isCompressedPath(p: string): boolean {
  return p.endsWith('.zst');
}

function ioMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `${err.code}: ${err.message.replace(/^[A-Z]+: /, '')}` : String((e as Error)?.message ?? e);
}

/** How a read decodes `.zst` files; parsed where the program starts, never from the environment here. */
export interface DecodeOptions {
  /** false: decode whole files with the zstd addon, as where libzstd.so.1 is missing (default: stream with libzstd where it loads). */
  systemZstd?: boolean;
}

type StreamEnd = 'end' | 'stopped' | 'budget';

/**
 * Feed the decoded content of `file` to `onChunk` in order; `onChunk` returns false to stop early.
 * A chunk is valid only during the call (its memory is reused). Throws a warning-shaped error
 * (`ReadWarning`) for unreadable or corrupt input.
 *
 * @example
 *   const how = await streamContent(file, (b) => splitter.push(b), 2 << 20); // 'end' | 'stopped' | 'budget'
 */
export async function streamContent(file: string, onChunk: (b: Buffer) => boolean, maxBytes = Infinity, opts: DecodeOptions = {}): Promise<StreamEnd> {
  const compressed = isCompressedPath(file);
  const decoder = compressed && opts.systemZstd !== false ? zstdStreamDecoder() : undefined;
  if (compressed && !decoder) return decodeWhole(file, onChunk, maxBytes);
  // Synchronous reads: rollouts are local files, and a listing reads 25 heads of a few KiB, where the
  // thread pool and promise round trips of fs.promises cost more than the reads themselves. A long
  // read still lets the event loop run every 1 MiB.
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    decoder?.release();
    throw warning(file, 'ROLLOUT_UNREADABLE', `cannot open: ${ioMessage(e)}`);
  }
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    const out = new Budgeted(onChunk, maxBytes);
    let total = 0;
    let state: 'frame-end' | 'mid-frame' = 'frame-end';
    for (let chunks = 1; ; chunks++) {
      if (chunks % 16 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      // At the budget: no further read (a head never costs more than its budget and one chunk).
      if (out.spent) return 'budget';
      let n: number;
      try {
        n = fs.readSync(fd, buf, 0, CHUNK, null);
      } catch (e) {
        throw readFailure(file, e);
      }
      total += n;
      if (!decoder) {
        if (n === 0) return 'end';
        if (!out.give(buf.subarray(0, n))) return out.budget ? 'budget' : 'stopped';
        continue;
      }
      if (n === 0) {
        if (total === 0) throw warning(file, 'ROLLOUT_ZSTD_CORRUPT', 'empty .zst file');
        if (state === 'mid-frame') throw warning(file, 'ROLLOUT_ZSTD_CORRUPT', 'truncated zstd data');
        return 'end';
      }
      try {
        const r = decoder.push(buf.subarray(0, n), (b) => out.give(b));
        if (r === 'stopped') return out.budget ? 'budget' : 'stopped';
        state = r;
      } catch (e) {
        if (e instanceof ZstdStreamError) throw warning(file, 'ROLLOUT_ZSTD_CORRUPT', `corrupt zstd data: ${e.message}`);
        throw e;
      }
    }
  } finally {
    decoder?.release();
    try {
      fs.closeSync(fd);
    } catch {
      /* already closed */
    }
  }
}

/**
 * The consumer side of a stream: stops at the decoded-byte budget (checked before each chunk, so
 * the chunk that crosses it is still given whole, as a head expects).
 */
class Budgeted {
  budget = false;
  private given = 0;
  constructor(
    private readonly onChunk: (b: Buffer) => boolean,
    private readonly maxBytes: number,
  ) {}
  get spent(): boolean {
    return this.given >= this.maxBytes;
  }
  give(b: Buffer): boolean {
    if (this.spent) {
      this.budget = true;
      return false;
    }
    this.given += b.length;
    return this.onChunk(b);
  }
}

/**
 * Without libzstd: the addon decodes the whole file at once, then the content is given in chunks
 * as a stream would give it (the same stops, budget and warnings; the memory is the whole file's).
 */
async function decodeWhole(file: string, onChunk: (b: Buffer) => boolean, maxBytes: number): Promise<StreamEnd> {
  const content = await readContent(file);
  const out = new Budgeted(onChunk, maxBytes);
  for (let at = 0; at < content.length; at += CHUNK) {
    if (!out.give(content.subarray(at, at + CHUNK))) return out.budget ? 'budget' : 'stopped';
  }
  return 'end';
}

/** A failed read: a directory (or other non-file) at a rollout path has its own code. */
function readFailure(file: string, e: unknown): ReadWarning {
  if ((e as NodeJS.ErrnoException).code === 'EISDIR') return warning(file, 'ROLLOUT_NOT_A_FILE', 'a directory, not a rollout file');
  return warning(file, 'ROLLOUT_UNREADABLE', `read failed: ${ioMessage(e)}`);
}

export class ReadWarning extends Error {
  constructor(readonly warning: StoreWarning) {
    super(warning.message);
  }
}

export function warning(path: string, code: StoreWarning['code'], message: string): ReadWarning {
  return new ReadWarning({ path, code, message });
}

export interface ReadOptions extends DecodeOptions {
  onWarning?: WarningSink;
  /** Called per record; return false to stop reading. */
  onRecord: (r: RolloutRecord, byteOffset: number) => boolean | void;
  /**
   * Read at most this many decoded bytes (a head). A line the budget cuts is dropped unparsed and
   * unreported (it is not damage), and `onBudget` is called.
   */
  maxBytes?: number;
  onBudget?: () => void;
}

/**
 * Read the records of one rollout file (either form), in order. Never throws for file damage: a
 * torn line is split, a truncated last line skipped, a corrupt/unreadable file reported, each as a
 * warning (once per kind per file). Returns false when the file could not be (fully) read.
 *
 * @example
 *   const ok = await readRecords(file, { ...decode, onRecord: (r) => void seen.push(r.type), onWarning: (w) => console.error(formatWarning(w)) });
 */
export async function readRecords(file: string, opts: ReadOptions): Promise<boolean> {
  const reported = new Set<string>();
  const warn = (w: StoreWarning) => {
    if (reported.has(w.code)) return;
    reported.add(w.code);
    opts.onWarning?.(w);
  };
  let stopped = false;
  let any = false;
  let lineNo = 0;
  let budgetHit = false;
  const splitter = new LineSplitter((line, complete) => {
    lineNo++;
    const at = splitter.offset;
    if (line.length === 0) return;
    const { records, damage } = recordsOfLine(line);
    if (damage) {
      if (!complete && records.length === 0) warn({ path: file, code: 'ROLLOUT_TRUNCATED', message: `truncated last line (${Buffer.byteLength(line)} bytes) skipped` });
      else if (damage === 'torn') warn({ path: file, code: 'ROLLOUT_TORN_LINE', message: `torn write at line ${lineNo}: kept ${records.length} record(s) of the damaged line` });
      else warn({ path: file, code: 'ROLLOUT_CORRUPT', message: `line ${lineNo} is not a JSON record; skipped` });
    }
    for (const r of records) {
      any = true;
      if (opts.onRecord(r, at) === false) {
        stopped = true;
        return false;
      }
    }
    return undefined;
  });
  try {
    const how = await streamContent(file, (chunk) => splitter.push(chunk), opts.maxBytes, opts);
    budgetHit = how === 'budget';
    if (budgetHit) opts.onBudget?.();
    else if (!stopped) splitter.end();
  } catch (e) {
    if (e instanceof ReadWarning) {
      warn(e.warning);
      return false;
    }
    throw e;
  }
  if (!any && !stopped && lineNo === 0 && !budgetHit) warn({ path: file, code: 'ROLLOUT_EMPTY', message: 'empty rollout file' });
  return true;
}

/**
 * All records of a rollout (either form, streamed), with the warnings met instead of reported:
 * for callers that want the whole file in memory (resume, export, tests).
 *
 * @example
 *   const { records, warnings, ok } = await readAllRecords(file);
 *   if (!ok) for (const w of warnings) process.stderr.write(formatWarning(w) + '\n');
 */
export async function readAllRecords(file: string, decode: DecodeOptions = {}): Promise<{ records: RolloutRecord[]; warnings: StoreWarning[]; ok: boolean }> {
  const records: RolloutRecord[] = [];
  const warnings: StoreWarning[] = [];
  const ok = await readRecords(file, { ...decode, onRecord: (r) => void records.push(r), onWarning: (w) => warnings.push(w) });
  return { records, warnings, ok };
}

/** The whole decoded content (the exact original bytes for `.zst`). Throws ReadWarning on damage. */
export async function readContent(file: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    // Sync on purpose: promises.readFile takes several pool round trips per file (5× slower on
    // thousands of small files); decoding below still runs on the pool, in parallel.
    bytes = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw readFailure(file, e);
    throw warning(file, 'ROLLOUT_UNREADABLE', `cannot read: ${ioMessage(e)}`);
  }
  if (!isCompressedPath(file)) return bytes;
  if (bytes.length === 0) throw warning(file, 'ROLLOUT_ZSTD_CORRUPT', 'empty .zst file');
  try {
    return await zstdDecompress(bytes);
  } catch (e) {
    // libzstd's error names, as the stream gives them (the addon prefixes "zstd: "); input that
    // ends inside a frame is "incomplete frame" to the addon, "truncated" to the stream.
    const message = (e as Error).message.replace(/^zstd: /, '');
    if (/incomplete frame/.test(message)) throw warning(file, 'ROLLOUT_ZSTD_CORRUPT', 'truncated zstd data');
    throw warning(file, 'ROLLOUT_ZSTD_CORRUPT', `corrupt zstd data: ${message}`);
  }
}
