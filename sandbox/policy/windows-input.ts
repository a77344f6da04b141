// The resolver's input with every Windows path mapped into the table's `/`-separated space (see
// windows-paths.ts): the cwd, filesystem keys of `[permissions.*]`, `writable_roots`, `--add-dir`,
// and USERPROFILE / TEMP standing in for HOME / TMPDIR. Relative and `~` spellings stay relative.
import { CodexError } from '../../protocol/index.js';
import { containsGlob } from './paths.js';
import type { ResolveInput } from './input.js';
import { isWindowsAbsolute, windowsRelative, windowsToInternal } from './windows-paths.js';

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** A config path: absolute Windows → internal; `~\x` → `~/x`; a glob keeps its pattern after the literal prefix. */
function mapPath(p: string): string {
  if (p.startsWith(':')) return p;
  if (p === '~' || /^~[\\/]/.test(p)) return windowsRelative(p);
  if (containsGlob(p)) {
    const segs = p.replace(/\\/g, '/').split('/');
    const first = segs.findIndex((s) => containsGlob(s));
    const prefix = segs.slice(0, first).join('/');
    if (!isWindowsAbsolute(prefix === '' ? p : prefix + '/')) return windowsRelative(p);
    const base = windowsToInternal(prefix + '/');
    return `${base === '/' ? '' : base}/${segs.slice(first).join('/').toLowerCase()}`;
  }
  return isWindowsAbsolute(p) ? windowsToInternal(p) : windowsRelative(p);
}

function mapConfig(config: Table | undefined): Table | undefined {
  if (!config) return config;
  const out: Table = { ...config };
  const ww = config.sandbox_workspace_write;
  if (isTable(ww) && Array.isArray(ww.writable_roots)) {
    out.sandbox_workspace_write = { ...ww, writable_roots: ww.writable_roots.map((r) => (typeof r === 'string' ? mapPath(r) : r)) };
  }
  const perms = config.permissions;
  if (isTable(perms)) {
    const mapped: Table = {};
    for (const [name, prof] of Object.entries(perms)) {
      if (!isTable(prof) || !isTable(prof.filesystem)) {
        mapped[name] = prof;
        continue;
      }
      const fsTable: Table = {};
      for (const [k, v] of Object.entries(prof.filesystem)) {
        if (k === 'glob_scan_max_depth') fsTable[k] = v;
        else if (isTable(v)) fsTable[mapPath(k)] = Object.fromEntries(Object.entries(v).map(([sub, a]) => [sub === '.' ? sub : windowsRelative(sub), a]));
        else fsTable[mapPath(k)] = v;
      }
      mapped[name] = { ...prof, filesystem: fsTable };
    }
    out.permissions = mapped;
  }
  return out;
}

function envPath(v: string | undefined): string | undefined {
  return v !== undefined && isWindowsAbsolute(v) ? windowsToInternal(v) : undefined;
}

export function windowsResolveInput(input: ResolveInput): ResolveInput {
  if (!isWindowsAbsolute(input.cwd)) {
    throw new CodexError('SANDBOX_BAD_PATH', `cwd must be an absolute Windows path (C:\\…, \\\\server\\share\\…): ${input.cwd}`);
  }
  const env = input.env ?? process.env;
  const cwd = windowsToInternal(input.cwd);
  const out: ResolveInput = {
    ...input,
    cwd,
    env: { HOME: envPath(env.USERPROFILE) ?? envPath(env.HOME), TMPDIR: envPath(env.TEMP) ?? envPath(env.TMP) ?? envPath(env.TMPDIR) },
  };
  if (input.relativeBase !== undefined) out.relativeBase = isWindowsAbsolute(input.relativeBase) ? windowsToInternal(input.relativeBase) : cwd;
  const config = mapConfig(input.config);
  if (config) out.config = config;
  if (input.fileLayer) {
    out.fileLayer = { table: mapConfig(input.fileLayer.table) ?? {}, dir: isWindowsAbsolute(input.fileLayer.dir) ? windowsToInternal(input.fileLayer.dir) : cwd };
  }
  if (input.cli?.addDirs) out.cli = { ...input.cli, addDirs: input.cli.addDirs.map(mapPath) };
  return out;
}
