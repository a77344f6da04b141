// Native addons (zstd, koffi) travel inside the single executable as SEA assets. At first use
// they are written to a cache dir keyed by version + content hash (temp file + rename, so a
// concurrent start never dlopens a half-written file) and loaded with process.dlopen. The cache
// is never trusted: each start opens the cached file once, compares its bytes with the embedded
// asset through that fd and dlopens that same inode (/proc/self/fd/N), so a library planted in
// the cache, or swapped in between the check and the load, never runs.
// Outside the SEA (tests, `node` dev runs) the same addons load from node_modules.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sea from 'node:sea';
import { CODEX_TS_VERSION, CodexError } from '../protocol/index.js';

export type AddonName = 'zstd' | 'koffi' | 'pty' | 'sqlite';

/** Filled in by scripts/build.mjs: asset name → content hash and size. */
declare const __NATIVE_ASSETS__: Record<string, { hash: string; size: number }> | undefined;

const DEV_PATHS: Record<AddonName, string> = {
  zstd: '@mongodb-js/zstd-linux-x64-gnu/zstd.linux-x64-gnu.node',
  koffi: '@koromix/koffi-linux-x64/linux_x64/koffi.node',
  pty: '@lydell/node-pty-linux-x64/pty.node',
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

/** The text of a program the build embeds beside the main one (scripts/build.mjs, PROGRAMS); undefined outside the executable. */
export function embeddedProgram(name: string): string | undefined {
  return isSea() ? Buffer.from(sea.getRawAsset(name) as ArrayBuffer).toString('utf8') : undefined;
}

/** The name a loaded addon was loaded by (for process.dlopen in a worker thread): in the SEA, `/proc/self/fd/N` of the verified file. */
export function loadedAddonFile(name: AddonName): string | undefined {
  return loadedFrom.get(name);
}

function dlopen(file: string, name?: AddonName): unknown {
  const mod = { exports: {} as unknown };
  process.dlopen(mod, file, os.constants.dlopen.RTLD_NOW);
  if (name) loadedFrom.set(name, file);
  return mod.exports;
}

function devPath(name: AddonName): string {
  return process.getBuiltinModule('node:module').createRequire(import.meta.url).resolve(DEV_PATHS[name]);
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
  // A view of the bytes inside the executable: the one trusted copy of the addon.
  const embedded = Buffer.from(sea.getRawAsset(name) as ArrayBuffer);
  const dir = path.join(nativeCacheRoot(), 'native', `${CODEX_TS_VERSION}-${info.hash.slice(0, 16)}`);
  const file = path.join(dir, `${name}.node`);
  const fd = openVerified(file, embedded) ?? writeVerified(dir, file, embedded) ?? privateCopy(name, embedded);
  return dlopenVerified(fd, name);
}

/**
 * Loads the very file the fd was verified on: `/proc/self/fd/N` names that inode, whatever the
 * cache path points at by now. The fd stays open for the life of the process, so a worker thread
 * can dlopen the same name (loadedAddonFile) and get the same, already verified, library.
 */
function dlopenVerified(fd: number, name: AddonName): unknown {
  const via = `/proc/self/fd/${fd}`;
  const mine = fs.fstatSync(fd);
  let seen: fs.Stats | undefined;
  try {
    seen = fs.statSync(via);
  } catch {
    /* no /proc */
  }
  if (!seen || seen.ino !== mine.ino || seen.dev !== mine.dev) {
    fs.closeSync(fd);
    throw new CodexError('NATIVE_LOAD_FAILED', `cannot load native ${name} addon safely: /proc/self/fd is not available (is /proc mounted?)`);
  }
  return dlopen(via, name);
}

/** An fd on `file` when it is a regular file holding exactly the embedded bytes, else undefined. */
function openVerified(file: string, embedded: Buffer): number | undefined {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO planted at the path must not hang the start.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isFile() && st.size === embedded.length && sameBytes(fd, embedded)) return fd;
  } catch {
    /* unreadable: rewrite it */
  }
  fs.closeSync(fd);
  return undefined;
}

/**
 * Reads the whole file through fd and compares (cheaper than hashing, and no node:crypto load), in
 * chunks through one small buffer: no fresh megabytes to fault in at each start.
 */
function sameBytes(fd: number, embedded: Buffer): boolean {
  const chunk = (scratch ??= Buffer.allocUnsafe(CHUNK));
  let off = 0;
  for (;;) {
    const n = fs.readSync(fd, chunk, 0, CHUNK, off);
    if (n === 0) return off === embedded.length;
    // Past the end means the file grew after fstat.
    if (off + n > embedded.length || chunk.compare(embedded, off, off + n, 0, n) !== 0) return false;
    off += n;
  }
}
const CHUNK = 256 * 1024;
let scratch: Buffer | undefined;

/**
 * Writes the embedded bytes to a new file in dir, verifies them through the same fd, then renames
 * it over `file` (concurrent starts each load their own complete copy). Returns the fd, which
 * stays good even when the rename fails (e.g. a directory planted at the path). Undefined when
 * dir cannot be written.
 */
function writeVerified(dir: string, file: string | undefined, embedded: Buffer): number | undefined {
  let fd: number | undefined;
  const tmp = path.join(dir, `.${path.basename(file ?? 'addon')}.${process.pid}.${Date.now()}.tmp`);
  try {
    mkdirp(dir);
    fd = fs.openSync(tmp, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o500);
    let off = 0;
    while (off < embedded.length) off += fs.writeSync(fd, embedded, off, embedded.length - off, off);
    if (!sameBytes(fd, embedded)) throw new Error('changed while written');
  } catch {
    if (fd !== undefined) fs.closeSync(fd);
    if (fd !== undefined) fs.rmSync(tmp, { force: true });
    return undefined;
  }
  try {
    if (!file) throw new Error('private copy');
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
  return readOnly(fd);
}

/** The same inode through a read-only fd: no writable descriptor stays open for the life of the process. */
function readOnly(fd: number): number {
  try {
    const ro = fs.openSync(`/proc/self/fd/${fd}`, fs.constants.O_RDONLY);
    fs.closeSync(fd);
    return ro;
  } catch {
    return fd; // no /proc: dlopenVerified says so
  }
}

/** Cache dir not writable: a copy in a private temp dir, unlinked at once (the fd keeps it). */
function privateCopy(name: AddonName, embedded: Buffer): number {
  const priv = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-ts-native-'));
  try {
    const fd = writeVerified(priv, undefined, embedded);
    if (fd === undefined) throw new CodexError('NATIVE_LOAD_FAILED', `cannot write the native ${name} addon to ${priv}`);
    return fd;
  } finally {
    fs.rmSync(priv, { recursive: true, force: true });
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
