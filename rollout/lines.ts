// Turning decoded bytes into records, tolerating crash damage:
// - a torn write (half a line followed by the next record on the same line) is split at each
//   `{"timestamp"` record start; every piece that parses is kept and the damage reported once;
// - an unparseable last line without a newline is a truncated append: skipped with a warning.
import { parseRecord, type RolloutRecord } from './format.js';

export type LineDamage = 'torn' | 'corrupt' | 'truncated';

/** How every record line starts: a damaged piece that starts so is a fragment of a record. */
export const RECORD_START = '{"timestamp"';

/** Records of one complete line (without newline); `damage` set when some of it was dropped or split. */
export function recordsOfLine(line: string): { records: RolloutRecord[]; damage?: LineDamage } {
  if (line.length === 0) return { records: [] };
  const whole = parseRecord(line);
  if (whole) return { records: [whole] };
  const pieces: string[] = [];
  let at = line.indexOf(RECORD_START, 1);
  let start = 0;
  while (at !== -1) {
    pieces.push(line.slice(start, at));
    start = at;
    at = line.indexOf(RECORD_START, at + 1);
  }
  pieces.push(line.slice(start));
  const records: RolloutRecord[] = [];
  for (const p of pieces) {
    const r = parseRecord(p);
    if (r) records.push(r);
  }
  return { records, damage: pieces.length > 1 ? 'torn' : 'corrupt' };
}

/**
 * Incremental line splitter over byte chunks. Splits at 0x0A on bytes so a UTF-8 sequence is never
 * cut; `end()` handles the last line (no trailing newline).
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingLen = 0;
  /** Byte offset of the start of the pending line, counted from the start of the content. */
  offset = 0;

  constructor(private readonly onLine: (line: string, complete: boolean) => boolean | void) {}

  /** Returns false when the consumer asked to stop. */
  push(chunk: Buffer): boolean {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      if (nl === -1) break;
      let lineBuf = chunk.subarray(from, nl);
      if (this.pendingLen) {
        lineBuf = Buffer.concat([...this.pending, lineBuf]);
        this.pending = [];
        this.pendingLen = 0;
      }
      this.offset += lineBuf.length + 1;
      from = nl + 1;
      if (this.onLine(lineBuf.toString('utf8'), true) === false) return false;
    }
    if (from < chunk.length) {
      const rest = chunk.subarray(from);
      this.pending.push(Buffer.from(rest));
      this.pendingLen += rest.length;
    }
    return true;
  }

  end(): void {
    if (!this.pendingLen) return;
    const lineBuf = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingLen = 0;
    this.onLine(lineBuf.toString('utf8'), false);
  }
}
