// Line damage in a rollout's content and the repaired content that keeps every parseable record.
// Pure: bytes in, findings and bytes out. Whole lines that parse are kept byte for byte.
import { RECORD_START, recordsOfLine } from '../lines.js';

export interface ContentDamage {
  /** Lines holding a half record followed by another record (torn writes). */
  torn: number;
  /** Complete lines with nothing parseable in them. */
  corrupt: number;
  /** The content ends in an unparseable partial line (crash mid-append). */
  truncated: boolean;
  /** Line numbers (1-based) of the damaged lines, at most 20. */
  lines: number[];
  recordsKept: number;
  droppedBytes: number;
  /**
   * Dropped bytes that are not a fragment of a record (a fragment starts like one: `{"timestamp"`).
   * A repair may only cut fragments; anything else is bytes it cannot account for.
   */
  foreignBytes: number;
}

export function analyzeContent(content: Buffer): { damage: ContentDamage; repaired?: Buffer } {
  const damage: ContentDamage = { torn: 0, corrupt: 0, truncated: false, lines: [], recordsKept: 0, droppedBytes: 0, foreignBytes: 0 };
  const out: Buffer[] = [];
  const NL = Buffer.from('\n');
  let changed = false;
  let start = 0;
  let lineNo = 0;
  while (start < content.length) {
    const nl = content.indexOf(10, start);
    const complete = nl !== -1;
    const end = complete ? nl : content.length;
    const bytes = content.subarray(start, end);
    lineNo++;
    start = end + 1;
    if (bytes.length === 0) {
      out.push(NL);
      continue;
    }
    const { records, damage: d } = recordsOfLine(bytes.toString('utf8'));
    if (!d) {
      damage.recordsKept++;
      out.push(bytes, NL);
      if (!complete) changed = true; // a whole last record without its newline: add it back
      continue;
    }
    changed = true;
    if (damage.lines.length < 20) damage.lines.push(lineNo);
    let kept = 0;
    for (const r of records) {
      const b = Buffer.from(r.raw);
      out.push(b, NL);
      kept += b.length;
      damage.recordsKept++;
    }
    damage.droppedBytes += Math.max(0, bytes.length - kept);
    damage.foreignBytes += foreignBytesOf(bytes, records.map((r) => r.raw));
    if (d === 'torn') damage.torn++;
    else if (!complete) damage.truncated = true;
    else damage.corrupt++;
  }
  const damaged = damage.torn + damage.corrupt > 0 || damage.truncated;
  return damaged || changed ? { damage, repaired: Buffer.concat(out) } : { damage };
}

/** Bytes of a damaged line outside its kept records and outside pieces that start like a record. */
function foreignBytesOf(line: Buffer, kept: readonly string[]): number {
  const start = Buffer.from(RECORD_START);
  const keptSet = new Set(kept);
  let foreign = 0;
  let from = 0;
  for (;;) {
    const next = line.indexOf(start, from + 1);
    const end = next === -1 ? line.length : next;
    const piece = line.subarray(from, end);
    // A piece cut shorter than the record start itself is a fragment too.
    const isFragment = piece.length >= start.length ? piece.subarray(0, start.length).equals(start) : start.subarray(0, piece.length).equals(piece);
    if (!isFragment && !keptSet.has(piece.toString('utf8'))) foreign += piece.length;
    if (next === -1) return foreign;
    from = next;
  }
}

export function isDamaged(d: ContentDamage): boolean {
  return d.torn + d.corrupt > 0 || d.truncated;
}

/** How two versions of a rollout's content relate. */
export type PairRelation = 'identical' | 'plain_is_prefix' | 'zst_is_prefix' | 'diverged';

export function relate(plain: Buffer, zst: Buffer): PairRelation {
  if (plain.equals(zst)) return 'identical';
  if (plain.length < zst.length && zst.subarray(0, plain.length).equals(plain)) return 'plain_is_prefix';
  if (zst.length < plain.length && plain.subarray(0, zst.length).equals(zst)) return 'zst_is_prefix';
  return 'diverged';
}

/** What to do with a plain + .zst pair of one thread: keep the form that holds all the other does. */
export type PairDecision = { drop: 'plain' | 'zst'; why: string } | { manual: string };

/**
 * The one rule for a pair, for doctor and the compressor alike. Equal forms keep the plain one unless
 * `preferCompressed` (the compressor finishing a cold file); a strict prefix is the stale form.
 */
export function decidePair(relation: PairRelation, preferCompressed: boolean): PairDecision {
  switch (relation) {
    case 'identical':
      return { drop: preferCompressed ? 'plain' : 'zst', why: 'same content in both forms (an interrupted compression or materialize)' };
    case 'zst_is_prefix':
      return { drop: 'zst', why: 'the plain file has lines appended after the .zst was made' };
    case 'plain_is_prefix':
      return { drop: 'plain', why: 'the .zst holds everything the plain file has, and more' };
    case 'diverged':
      return { manual: 'the two forms hold different histories; readers use the plain file' };
  }
}
