// Typed reads of one key of the effective table: absent → undefined, wrong type → CONFIG_TYPE naming
// the key and where it was set (file:line, or the `-c` argument).
import { configTypeError, type OriginOf } from '../../protocol/index.js';
import { isTable } from './overrides.js';
import type { ConfigTable } from './types.js';

export class Reader {
  constructor(readonly originOf: OriginOf) {}

  private fail(path: readonly string[], expected: string, v: unknown): never {
    throw configTypeError(path, expected, v, this.originOf(path));
  }

  string(t: ConfigTable, path: readonly string[]): string | undefined {
    const v = t[path[path.length - 1]!];
    if (v === undefined || typeof v === 'string') return v;
    return this.fail(path, 'a string', v);
  }

  bool(t: ConfigTable, path: readonly string[]): boolean | undefined {
    const v = t[path[path.length - 1]!];
    if (v === undefined || typeof v === 'boolean') return v;
    return this.fail(path, 'a boolean', v);
  }

  /** An integer ≥ `min` (TOML integers may arrive as bigint). */
  int(t: ConfigTable, path: readonly string[], min = 0): number | undefined {
    const v = t[path[path.length - 1]!];
    if (v === undefined) return undefined;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= min) return n;
    return this.fail(path, min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`, v);
  }

  /** A finite number ≥ 0 (integer or float). */
  nonNegative(t: ConfigTable, path: readonly string[]): number | undefined {
    const v = t[path[path.length - 1]!];
    if (v === undefined) return undefined;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return n;
    return this.fail(path, 'a non-negative number', v);
  }

  table(t: ConfigTable, path: readonly string[]): ConfigTable | undefined {
    const v = t[path[path.length - 1]!];
    if (v === undefined || isTable(v)) return v;
    return this.fail(path, 'a table', v);
  }

  /** A table of strings (`http_headers`). */
  stringMap(t: ConfigTable, path: readonly string[]): Record<string, string> | undefined {
    const m = this.table(t, path);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const k of Object.keys(m)) out[k] = this.string(m, [...path, k])!;
    return out;
  }
}
