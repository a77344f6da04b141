// Where a config value came from, shared by core (which layers the config) and sandbox (which parses
// its own slice and needs the layer for 0.169's precedence rules and to name the place in errors).
import { CodexError } from './errors.js';

/** The layers, earliest first: config.toml, its selected `[profiles.NAME]`, `-c key=value`, CLI flags. */
export type ConfigLayer = 'file' | 'profile' | 'override' | 'flag';

export interface ConfigOrigin {
  layer: ConfigLayer;
  /** The config.toml that holds the value (file and profile layers). */
  file?: string;
  /** 1-based line of the key in `file`, when the key (or the table holding it) could be located. */
  line?: number;
  /** The command-line spelling for override and flag layers: `-c model=5`, `--model`. */
  arg?: string;
}

/** The origin of the value at a key path of the effective config, if any layer set it. */
export type OriginOf = (path: readonly string[]) => ConfigOrigin | undefined;

/** `/home/me/.codex/config.toml:4`, `-c model=5`, `--model`, or `config` when nothing is known. */
export function describeOrigin(o: ConfigOrigin | undefined): string {
  if (!o) return 'config';
  if (o.file !== undefined) return o.line !== undefined ? `${o.file}:${o.line}` : o.file;
  return o.arg ?? o.layer;
}

/** The dotted spelling of a key path (segments with dots or spaces quoted). */
export function keyPathText(path: readonly string[]): string {
  return path.map((s) => (/^[A-Za-z0-9_-]+$/.test(s) ? s : JSON.stringify(s))).join('.');
}

/** What a parsed TOML value is, for messages: `integer 5`, `string "x"`, `table`. */
export function describeValue(v: unknown): string {
  if (typeof v === 'bigint') return `integer ${v}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `integer ${v}` : `float ${v}`;
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)}`;
  if (typeof v === 'boolean') return `boolean ${v}`;
  if (v instanceof Date) return 'datetime';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object' && v !== null) return 'table';
  return String(v);
}

/**
 * A value of the wrong type: one line naming the place, the key and what was expected.
 *
 * @example
 *   configTypeError(['model'], 'a string', 5, { layer: 'file', file: '/h/config.toml', line: 4 }).message
 *   // '/h/config.toml:4: `model` must be a string, got integer 5'
 */
export function configTypeError(path: readonly string[], expected: string, value: unknown, origin: ConfigOrigin | undefined): CodexError {
  return new CodexError('CONFIG_TYPE', `${describeOrigin(origin)}: \`${keyPathText(path)}\` must be ${expected}, got ${describeValue(value)}`);
}

type Table = Record<string, unknown>;

function isPlainTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * Typed reads of one key of a config table, shared by every slice parser (core's and the sandbox's):
 * absent → undefined, wrong type → CONFIG_TYPE naming where the value was set and the key. `path` is
 * the key's full path in the config; its last segment is looked up in `t`.
 *
 * @example
 *   const r = new ConfigReader(() => ({ layer: 'override', arg: '-c model=5' }));
 *   r.string({ model: 'o3' }, ['model']); // 'o3'
 *   r.string({ model: 5 }, ['model']);    // throws CONFIG_TYPE "-c model=5: `model` must be a string, got integer 5"
 */
export class ConfigReader {
  constructor(readonly originOf: OriginOf = () => undefined) {}

  fail(path: readonly string[], expected: string, v: unknown): never {
    throw configTypeError(path, expected, v, this.originOf(path));
  }

  string(t: Table, path: readonly string[]): string | undefined {
    const v = t[path[path.length - 1]!];
    if (v === undefined || typeof v === 'string') return v;
    return this.fail(path, 'a string', v);
  }

  bool(t: Table, path: readonly string[]): boolean | undefined {
    const v = t[path[path.length - 1]!];
    if (v === undefined || typeof v === 'boolean') return v;
    return this.fail(path, 'a boolean', v);
  }

  /** An integer ≥ `min` (TOML integers may arrive as bigint). */
  int(t: Table, path: readonly string[], min = 0): number | undefined {
    const v = t[path[path.length - 1]!];
    if (v === undefined) return undefined;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= min) return n;
    return this.fail(path, min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`, v);
  }

  /** A finite number ≥ 0, integer or float. */
  nonNegative(t: Table, path: readonly string[]): number | undefined {
    const v = t[path[path.length - 1]!];
    if (v === undefined) return undefined;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return n;
    return this.fail(path, 'a non-negative number', v);
  }

  table(t: Table, path: readonly string[]): Table | undefined {
    const v = t[path[path.length - 1]!];
    if (v === undefined || isPlainTable(v)) return v;
    return this.fail(path, 'a table', v);
  }

  /** A table whose values are strings (`http_headers`). */
  stringMap(t: Table, path: readonly string[]): Record<string, string> | undefined {
    const m = this.table(t, path);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const k of Object.keys(m)) out[k] = this.string(m, [...path, k])!;
    return out;
  }

  stringArray(t: Table, path: readonly string[]): string[] | undefined {
    const v = t[path[path.length - 1]!];
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.every((x): x is string => typeof x === 'string')) return v;
    return this.fail(path, 'an array of strings', v);
  }
}
