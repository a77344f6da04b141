// `-c key.path=value`: the value is parsed as TOML when it can be, else taken as a plain string.
import { parse as parseToml } from 'smol-toml';
import { CodexError } from '../../protocol/index.js';
import type { ConfigTable, ConfigValue } from './types.js';

export interface ConfigOverride {
  path: string[];
  value: ConfigValue;
}

/** Split a dotted key path; segments may be quoted ("a.b" or 'a.b') to contain dots. */
export function splitKeyPath(key: string): string[] {
  const out: string[] = [];
  let i = 0;
  const s = key.trim();
  while (i <= s.length) {
    let seg = '';
    if (s[i] === '"' || s[i] === "'") {
      const q = s[i]!;
      const end = s.indexOf(q, i + 1);
      if (end === -1) throw new CodexError('USAGE', `-c: unterminated quote in key '${key}'`);
      seg = s.slice(i + 1, end);
      i = end + 1;
      while (s[i] === ' ') i++;
      if (i < s.length && s[i] !== '.') throw new CodexError('USAGE', `-c: bad key '${key}'`);
    } else {
      const dot = s.indexOf('.', i);
      const end = dot === -1 ? s.length : dot;
      seg = s.slice(i, end).trim();
      if (seg === '') throw new CodexError('USAGE', `-c: empty segment in key '${key}'`);
      i = end;
    }
    out.push(seg);
    if (i >= s.length) break;
    i++; // skip '.'
    while (s[i] === ' ') i++;
  }
  return out;
}

export function parseOverride(spec: string): ConfigOverride {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new CodexError('USAGE', `-c expects key=value, got '${spec}'`);
  const path = splitKeyPath(spec.slice(0, eq));
  return { path, value: parseOverrideValue(spec.slice(eq + 1)) };
}

export function parseOverrideValue(text: string): ConfigValue {
  const trimmed = text.trim();
  try {
    const t = parseToml(`__v = ${trimmed}`) as ConfigTable;
    if ('__v' in t) return t.__v!;
  } catch {
    /* not TOML: a literal string */
  }
  return trimmed;
}

/** Set `value` at `path` in `table`, creating (or replacing non-table) intermediate tables. */
export function setPath(table: ConfigTable, path: readonly string[], value: ConfigValue): void {
  let cur = table;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    const next = cur[k];
    if (!isTable(next)) {
      const fresh: ConfigTable = {};
      cur[k] = fresh;
      cur = fresh;
    } else {
      cur = next;
    }
  }
  cur[path[path.length - 1]!] = value;
}

export function getPath(table: ConfigTable, path: readonly string[]): ConfigValue | undefined {
  let cur: ConfigValue | undefined = table;
  for (const k of path) {
    if (!isTable(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

export function isTable(v: unknown): v is ConfigTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Deep merge `over` into a copy of `base` (tables merge, everything else replaces). */
export function deepMerge(base: ConfigTable, over: ConfigTable): ConfigTable {
  const out: ConfigTable = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isTable(b) && isTable(v) ? deepMerge(b, v) : v;
  }
  return out;
}
