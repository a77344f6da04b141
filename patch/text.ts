// Text helpers that mirror the reference's Rust string semantics (char::is_whitespace, str::trim,
// str::lines) so matching decisions are the same, plus the line index of a file being patched.

/** Rust `char::is_whitespace` (Unicode White_Space), for BMP code units. */
function isRustWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

function trimStartIndex(s: string, from = 0, to = s.length): number {
  while (from < to && isRustWhitespace(s.charCodeAt(from))) from++;
  return from;
}

export function trimEndIndex(s: string, from = 0, to = s.length): number {
  while (to > from && isRustWhitespace(s.charCodeAt(to - 1))) to--;
  return to;
}

export function rustTrim(s: string): string {
  const a = trimStartIndex(s);
  return s.slice(a, trimEndIndex(s, a));
}

export function rustTrimEnd(s: string): string {
  return s.slice(0, trimEndIndex(s));
}

/** Typographic punctuation the last matching pass folds to ASCII. */
const PUNCT: Record<number, string> = {};
for (const c of [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212]) PUNCT[c] = '-';
for (const c of [0x2018, 0x2019, 0x201a, 0x201b]) PUNCT[c] = "'";
for (const c of [0x201c, 0x201d, 0x201e, 0x201f]) PUNCT[c] = '"';
for (const c of [0xa0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x202f, 0x205f, 0x3000]) PUNCT[c] = ' ';
const PUNCT_RE = /[\u2010-\u2015\u2212\u2018-\u201f\u00a0\u2002-\u200a\u202f\u205f\u3000]/g;

/** Trim, then fold typographic dashes, quotes and odd spaces to ASCII. */
export function normalisePunctuation(s: string): string {
  const t = rustTrim(s);
  return t.replace(PUNCT_RE, (ch) => PUNCT[ch.charCodeAt(0)] ?? ch);
}

/** Rust `str::lines`: split on LF, drop one trailing CR per line, no final empty line. */
export function rustLines(s: string): string[] {
  if (s.length === 0) return [];
  const parts = s.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  if (!s.includes('\r')) return parts;
  return parts.map((p) => (p.charCodeAt(p.length - 1) === 13 ? p.slice(0, -1) : p));
}

export type Eol = '\n' | '\r\n' | '\r';

/**
 * A file's text indexed by line without copying it: line i is text[start[i], end[i]) and its
 * terminator (LF, CRLF or CR; none for an unterminated last line) runs to start[i + 1].
 */
export class SourceText {
  readonly text: string;
  readonly count: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** The first terminator in the file (what inserted lines get), LF when there is none. */
  readonly eol: Eol;
  private trimmedStart?: Int32Array;
  private trimmedEnd?: Int32Array;
  private normalised?: (string | undefined)[];

  constructor(text: string) {
    this.text = text;
    const n = text.length;
    // Upper bound on lines: count terminators cheaply first.
    let cap = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) cap++;
    let crs = 0;
    let loneCr = false;
    for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) {
      crs++;
      if (text.charCodeAt(i + 1) !== 10) loneCr = true;
    }
    if (loneCr) cap += crs;
    const start = new Int32Array(cap + 1);
    const end = new Int32Array(cap);
    let count = 0;
    let pos = 0;
    let eol: Eol | undefined;
    if (!loneCr) {
      // Fast path: every CR is part of a CRLF, so lines end at LF (minus a CR before it).
      while (pos < n) {
        const nl = text.indexOf('\n', pos);
        start[count] = pos;
        if (nl === -1) {
          end[count++] = n;
          pos = n;
          break;
        }
        const cr = crs > 0 && nl > pos && text.charCodeAt(nl - 1) === 13;
        end[count++] = cr ? nl - 1 : nl;
        pos = nl + 1;
        eol ??= cr ? '\r\n' : '\n';
      }
    } else {
      while (pos < n) {
        start[count] = pos;
        let i = pos;
        let c = 0;
        while (i < n) {
          c = text.charCodeAt(i);
          if (c === 10 || c === 13) break;
          i++;
        }
        end[count++] = i;
        if (i >= n) {
          pos = n;
          break;
        }
        if (c === 13 && text.charCodeAt(i + 1) === 10) {
          eol ??= '\r\n';
          pos = i + 2;
        } else {
          eol ??= c === 10 ? '\n' : '\r';
          pos = i + 1;
        }
      }
    }
    start[count] = n;
    this.count = count;
    this.start = start;
    this.end = end;
    this.eol = eol ?? '\n';
  }

  line(i: number): string {
    return this.text.slice(this.start[i], this.end[i]);
  }

  /** Length of line i without its terminator (0 past the end). */
  lineLength(i: number): number {
    return (this.end[i] ?? 0) - (this.start[i] ?? 0);
  }

  /** Whether line i has a terminator (only the last line may lack one; false past the end). */
  terminated(i: number): boolean {
    const next = this.start[i + 1];
    const e = this.end[i];
    return next !== undefined && e !== undefined && next > e;
  }

  /** Exact equality of line i with s, without building the line (false past the end). */
  equals(i: number, s: string): boolean {
    const a = this.start[i];
    const e = this.end[i];
    return a !== undefined && e !== undefined && e - a === s.length && this.text.startsWith(s, a);
  }

  private trims(): [Int32Array, Int32Array] {
    if (!this.trimmedStart || !this.trimmedEnd) {
      const ts = new Int32Array(this.count);
      const te = new Int32Array(this.count);
      for (let i = 0; i < this.count; i++) {
        const e = trimEndIndex(this.text, this.start[i], this.end[i]);
        te[i] = e;
        ts[i] = trimStartIndex(this.text, this.start[i], e);
      }
      this.trimmedStart = ts;
      this.trimmedEnd = te;
    }
    return [this.trimmedStart, this.trimmedEnd];
  }

  /** Line i with trailing whitespace ignored equals s (already right-trimmed). */
  equalsTrimEnd(i: number, s: string): boolean {
    const [, te] = this.trims();
    const a = this.start[i];
    const e = te[i];
    return a !== undefined && e !== undefined && e - a === s.length && this.text.startsWith(s, a);
  }

  /** Line i with surrounding whitespace ignored equals s (already trimmed). */
  equalsTrim(i: number, s: string): boolean {
    const [ts, te] = this.trims();
    const a = ts[i];
    const e = te[i];
    return a !== undefined && e !== undefined && e - a === s.length && this.text.startsWith(s, a);
  }

  equalsNormalised(i: number, s: string): boolean {
    this.normalised ??= new Array(this.count);
    let v = this.normalised[i];
    if (v === undefined) v = this.normalised[i] = normalisePunctuation(this.line(i));
    return v === s;
  }
}
