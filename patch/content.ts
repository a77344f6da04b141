// A file's new content as pieces: byte ranges of the original (kept as they were, no re-encoding)
// and new strings. An ASCII original is written straight from its buffer, so a big file is never
// joined into a second string or encoded again; the text is only built if something reads it.
import * as fs from 'node:fs';

/** [start, end) of the original text (char offsets; byte offsets too when the original is ASCII). */
export type Piece = string | readonly [number, number];

export class Content {
  private cached: string | undefined;
  private constructor(
    private readonly pieces: readonly Piece[] | undefined,
    /** What the pieces' ranges index into. */
    private readonly base: Content | undefined,
    /** ASCII bytes (char offset = byte offset): this content's own when it has no pieces, else its base's. */
    private readonly raw: Buffer | undefined,
  ) {}

  static of(text: string): Content {
    const c = new Content(undefined, undefined, undefined);
    c.cached = text;
    return c;
  }

  /** An ASCII file's bytes, decoded to text only if something reads it (the matcher works on the bytes). */
  static ascii(raw: Buffer): Content {
    return new Content(undefined, undefined, raw);
  }

  static pieces(base: Content, pieces: readonly Piece[]): Content {
    return new Content(pieces, base, base.pieces ? undefined : base.raw);
  }

  /** The bytes of an unchanged ASCII original (undefined otherwise). */
  get asciiBytes(): Buffer | undefined {
    return this.pieces ? undefined : this.raw;
  }

  get text(): string {
    if (this.cached === undefined) {
      if (!this.pieces || !this.base) this.cached = this.raw ? this.raw.toString('latin1') : '';
      else {
        const t = this.base.text;
        this.cached = this.pieces.map((p) => (typeof p === 'string' ? p : t.slice(p[0], p[1]))).join('');
      }
    }
    return this.cached;
  }

  /** Write all bytes (after an optional prefix) to fd. */
  writeTo(fd: number, prefix: string): void {
    const bufs: Buffer[] = [];
    if (prefix) bufs.push(Buffer.from(prefix, 'utf8'));
    if (this.pieces && this.raw) {
      // Adjacent new strings are joined so the write is a few large vectors, not thousands of tiny
      // ones; all of them are encoded in one go when they are ASCII (then char offsets are byte offsets).
      // Each run of strings gets a slot in bufs, filled once the runs are encoded.
      const runs: { slot: number; text: string }[] = [];
      let pending = '';
      const close = () => {
        if (!pending) return;
        runs.push({ slot: bufs.length, text: pending });
        bufs.push(EMPTY);
        pending = '';
      };
      for (const p of this.pieces) {
        if (typeof p === 'string') pending += p;
        else {
          close();
          if (p[1] > p[0]) bufs.push(this.raw.subarray(p[0], p[1]));
        }
      }
      close();
      const joined = runs.map((r) => r.text).join('');
      const enc = Buffer.from(joined, 'utf8');
      const ascii = enc.length === joined.length;
      let off = 0; // offset into enc
      for (const r of runs) bufs[r.slot] = ascii ? enc.subarray(off, (off += r.text.length)) : Buffer.from(r.text, 'utf8');
    } else if (!this.pieces && this.raw) {
      bufs.push(this.raw);
    } else {
      bufs.push(Buffer.from(this.text, 'utf8'));
    }
    writeAllv(fd, bufs);
  }
}

const IOV_MAX = 1024;
const EMPTY = Buffer.alloc(0);

function writeAllv(fd: number, bufs: Buffer[]): void {
  for (let i = 0; i < bufs.length; i += IOV_MAX) {
    const batch = bufs.slice(i, i + IOV_MAX);
    const total = batch.reduce((n, b) => n + b.length, 0);
    const done = fs.writevSync(fd, batch);
    if (done === total) continue;
    // Short write: finish this batch buffer by buffer.
    let skip = done;
    for (const b of batch) {
      if (skip >= b.length) {
        skip -= b.length;
        continue;
      }
      let off = skip;
      skip = 0;
      while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
    }
  }
}
