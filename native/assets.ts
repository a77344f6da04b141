// Native addons (zstd, koffi) travel inside the single executable as SEA assets. At first use
// they are written to a cache dir keyed by version + content hash (temp file + rename, so a
// concurrent start never dlopens a half-written file) and loaded with process.dlopen.
// Outside the SEA (tests, `node` dev runs) the same addons load from node_modules.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sea from 'node:sea';
import { createRequire } from 'node:module';
import { CODEX_TS_VERSION, CodexError } from '../protocol/index.js';

export type AddonName = 'zstd' | 'koffi' | 'sqlite';

/** Filled in by scripts/build.mjs: asset name → content hash and size. */
declare const __NATIVE_ASSETS__: Record<string, { hash: string; size: number }> | undefined;

const DEV_PATHS: Record<AddonName, string> = {
  zstd: '@mongodb-js/zstd-linux-x64-gnu/zstd.linux-x64-gnu.node',
  koffi: '@koromix/koffi-linux-x64/linux_x64/koffi.node',
  sqlite: 'better-sqlite3/build/Release/better_sqlite3.node',
};

const loaded = new Map<AddonName, unknown>();
const loadedFrom = new Map<AddonName, string>();

export function isSea(): boolean {
  try {
    return sea.isSea();
  } catch {
    return false;
  }
}

export function loadAddon<T>(name: AddonName): T {
  const hit = loaded.get(name);
  if (hit) return hit as T;
  let exports: unknown;
  try {
    exports = isSea() ? loadFromSea(name) : dlopen(devPath(name), name);
  } catch (e) {
    if (e instanceof CodexError) throw e;
    throw new CodexError('NATIVE_LOAD_FAILED', `cannot load native ${name} addon: ${(e as Error).message}`, { cause: e });
  }
  loaded.set(name, exports);
  return exports as T;
}

/** The file a loaded addon came from, while it stays on disk (for process.dlopen in a worker thread). */
export function loadedAddonFile(name: AddonName): string | undefined {
  return loadedFrom.get(name);
}

function dlopen(file: string, name?: AddonName): unknown {
  const mod = { exports: {} as unknown };
  process.dlopen(mod, file, os.constants.dlopen.RTLD_NOW);
  if (name) loadedFrom.set(name, file);
  return mod.exports;
}

/**
 * A node builtin loaded when first needed rather than at start-up (as a static import would). A
 * dynamic import() cannot do it: the single executable has no loader for it.
 */
export function nodeBuiltin<T>(name: `node:${string}`): T {
  return createRequire(process.execPath)(name) as T;
}

function devPath(name: AddonName): string {
  const req = createRequire(import.meta.url);
  return req.resolve(DEV_PATHS[name]);
}

/** Cache root: $CODEX_TS_CACHE_DIR, else $XDG_CACHE_HOME/codex-ts, else ~/.cache/codex-ts. */
export function nativeCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CODEX_TS_CACHE_DIR) return path.resolve(env.CODEX_TS_CACHE_DIR);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'codex-ts');
  return path.join(os.homedir(), '.cache', 'codex-ts');
}

function loadFromSea(name: AddonName): unknown {
  const assets = typeof __NATIVE_ASSETS__ === 'object' ? __NATIVE_ASSETS__ : undefined;
  const info = assets?.[name];
  if (!info) throw new CodexError('NATIVE_LOAD_FAILED', `native ${name} addon is not embedded in this build`);
  const dir = path.join(nativeCacheRoot(), 'native', `${CODEX_TS_VERSION}-${info.hash.slice(0, 16)}`);
  const file = path.join(dir, `${name}.node`);
  if (sizeIs(file, info.size)) return dlopen(file, name);
  const bytes = Buffer.from(sea.getRawAsset(name) as ArrayBuffer);
  try {
    writeAtomically(dir, file, bytes);
    return dlopen(file, name);
  } catch {
    // Read-only or missing cache dir: a private temp dir, removed right after dlopen
    // (the mapping stays valid once loaded).
    const priv = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-ts-native-'));
    const pfile = path.join(priv, `${name}.node`);
    try {
      fs.writeFileSync(pfile, bytes, { mode: 0o500 });
      return dlopen(pfile);
    } finally {
      fs.rmSync(priv, { recursive: true, force: true });
    }
  }
}

function sizeIs(file: string, size: number): boolean {
  try {
    return fs.statSync(file).size === size;
  } catch {
    return false;
  }
}

function writeAtomically(dir: string, file: string, bytes: Buffer): void {
  mkdirp(dir);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, bytes, { mode: 0o500 });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** mkdir -p without fs.mkdirSync({recursive}), which spins forever on some paths (e.g. under /proc). */
function mkdirp(dir: string, depth = 0): void {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = path.dirname(dir);
    if (code !== 'ENOENT' || parent === dir || depth > 64) throw e;
    mkdirp(parent, depth + 1);
    fs.mkdirSync(dir, { mode: 0o700 });
  }
}
