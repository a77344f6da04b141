// The resolver's input with every Windows path mapped into the table's `/`-separated space (see
// windows-paths.ts): the cwd, filesystem keys of `[permissions.*]`, `writable_roots`, `--add-dir`,
// and USERPROFILE / TEMP standing in for HOME / TMPDIR. Relative and `~` spellings stay relative.
import { CodexError } from '../../protocol/index.js';
import { containsGlob } from './paths.js';
import type { FsEntryToml, ProfileToml, SandboxConfig } from './config.js';
import type { ResolveInput } from './input.js';
import { isWindowsAbsolute, windowsRelative, windowsToInternal } from './windows-paths.js';

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

function mapConfig(config: SandboxConfig): SandboxConfig {
  const out: SandboxConfig = { ...config };
  if (config.workspaceWrite) out.workspaceWrite = { ...config.workspaceWrite, writableRoots: config.workspaceWrite.writableRoots.map(mapPath) };
  if (config.permissions) {
    const mapped = new Map<string, ProfileToml>();
    for (const [name, prof] of config.permissions) {
      if (!prof.filesystem) {
        mapped.set(name, prof);
        continue;
      }
      const fsMap = new Map<string, FsEntryToml>();
      for (const [k, v] of prof.filesystem) {
        fsMap.set(mapPath(k), v.kind === 'scoped' ? { kind: 'scoped', entries: v.entries.map(([sub, a]) => [sub === '.' ? sub : windowsRelative(sub), a]) } : v);
      }
      mapped.set(name, { ...prof, filesystem: fsMap });
    }
    out.permissions = mapped;
  }
  return out;
}

function envPath(v: string | undefined): string | undefined {
  return v !== undefined && isWindowsAbsolute(v) ? windowsToInternal(v) : undefined;
}

/** The input and its parsed sandbox slice with every Windows path in the table's `/` space. */
export function windowsResolveInput(input: ResolveInput, config: SandboxConfig): { input: ResolveInput; cfg: SandboxConfig } {
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
  // Relative writable_roots resolve against the setting file's directory (cwd when that is not a Windows path).
  const base = input.relativeBase ?? dirOf(config.origins.writableRoots?.file);
  if (base !== undefined) out.relativeBase = isWindowsAbsolute(base) ? windowsToInternal(base) : cwd;
  if (input.cli?.addDirs) out.cli = { ...input.cli, addDirs: input.cli.addDirs.map(mapPath) };
  return { input: out, cfg: mapConfig(config) };
}

function dirOf(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const cut = Math.max(file.lastIndexOf('\\'), file.lastIndexOf('/'));
  return cut > 0 ? file.slice(0, cut) : file;
}
