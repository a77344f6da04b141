// Which layer set each value of the effective config, and on which line of config.toml: recorded
// while the layers are applied, so consumers never have to guess by comparing tables.
import type { ConfigOrigin, OriginOf } from '../../protocol/index.js';
import { isTable, splitKeyPath } from './overrides.js';
import type { ConfigValue } from './types.js';

const SEP = '\u0000';
const KEY = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const KEY_PATH = String.raw`${KEY}(?:\s*\.\s*${KEY})*`;
const HEADER_RE = new RegExp(String.raw`^\s*\[\[?\s*(${KEY_PATH})\s*\]\]?\s*(?:#.*)?$`);
const ASSIGN_RE = new RegExp(String.raw`^\s*(${KEY_PATH})\s*=`);

/**
 * Key path → 1-based line of its first definition in TOML text: `[table]` headers and `key =` lines.
 * Best effort (a key inside an inline table maps to the line of the table's key): it only names
 * places in messages. Multi-line strings are skipped so their contents are not taken for keys.
 */
export function keyLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let table: string[] = [];
  let inString: '"""' | "'''" | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (inString) {
      if (line.includes(inString)) inString = undefined;
      continue;
    }
    const header = HEADER_RE.exec(line);
    if (header?.[1] !== undefined) {
      table = parsePath(header[1]);
      note(out, table, i + 1);
      continue;
    }
    const assign = ASSIGN_RE.exec(line);
    if (assign?.[1] !== undefined) {
      note(out, [...table, ...parsePath(assign[1])], i + 1);
      const rest = line.slice(assign[0].length);
      for (const q of ['"""', "'''"] as const) {
        const at = rest.indexOf(q);
        if (at !== -1 && rest.indexOf(q, at + 3) === -1) inString = q;
      }
    }
  }
  return out;
}

function parsePath(text: string): string[] {
  try {
    return splitKeyPath(text);
  } catch {
    return [text.trim()];
  }
}

function note(map: Map<string, number>, path: string[], line: number): void {
  const k = path.join(SEP);
  if (!map.has(k)) map.set(k, line);
}

/** The line of `path`, else of its nearest ancestor that has one. */
export function lineOf(lines: Map<string, number>, path: readonly string[]): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const l = lines.get(path.slice(0, n).join(SEP));
    if (l !== undefined) return l;
  }
  return undefined;
}

/** Origins of the leaves of the effective table (a leaf: any value that is not a non-empty table). */
export class OriginMap {
  private readonly leaves = new Map<string, ConfigOrigin>();

  /** A layer that merges into the tables below it (the file, a profile): only its leaves replace. */
  merge(value: ConfigValue, at: readonly string[], originOf: (path: readonly string[]) => ConfigOrigin): void {
    if (isTable(value)) {
      if (Object.keys(value).length > 0) {
        for (const [k, v] of Object.entries(value)) this.merge(v, [...at, k], originOf);
        return;
      }
      if (at.length === 0 || this.hasUnder(at)) return; // an empty table merged into a table changes nothing
    }
    this.dropUnder(at);
    this.dropAbove(at);
    this.leaves.set(at.join(SEP), originOf(at));
  }

  /** A layer that assigns a whole value at `path` (`-c`, flags): whatever was below it is replaced. */
  assign(value: ConfigValue, path: readonly string[], origin: ConfigOrigin): void {
    this.dropUnder(path);
    this.merge(value, path, () => origin);
  }

  /** The origin of the value at `path`: its own, an ancestor's (inside a leaf), else the latest of its descendants. */
  of(path: readonly string[]): ConfigOrigin | undefined {
    for (let n = path.length; n > 0; n--) {
      const o = this.leaves.get(path.slice(0, n).join(SEP));
      if (o) return o;
    }
    const prefix = path.join(SEP) + SEP;
    let found: ConfigOrigin | undefined;
    for (const [k, o] of this.leaves) if (k.startsWith(prefix) && (!found || RANK[o.layer] >= RANK[found.layer])) found = o;
    return found;
  }

  /** The lookup consumers take. */
  get lookup(): OriginOf {
    return (path) => this.of(path);
  }

  private hasUnder(path: readonly string[]): boolean {
    const prefix = path.join(SEP) + SEP;
    for (const k of this.leaves.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }

  private dropUnder(path: readonly string[]): void {
    const prefix = path.join(SEP) + SEP;
    for (const k of [...this.leaves.keys()]) if (k.startsWith(prefix)) this.leaves.delete(k);
  }

  private dropAbove(path: readonly string[]): void {
    for (let n = path.length - 1; n > 0; n--) this.leaves.delete(path.slice(0, n).join(SEP));
  }
}

const RANK = { file: 0, profile: 1, override: 2, flag: 3 } as const;
