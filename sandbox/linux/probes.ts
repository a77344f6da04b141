// The machine-dependent facts the Linux sandbox needs, each read once per process; the bwrap
// probes (argv0 support, user namespaces) are also cached on disk per boot, keyed by the bwrap file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { landlockAbiVersion, nativeCacheRoot } from '../../native/index.js';
import { helpHasArgv0, interpretUsernsProbe, searchBwrap, SHARED_TEMP_DIRS, usernsProbeArgs, type BwrapSearch, type FoundBwrap, type FsProbe, type UsernsProbe } from './discovery.js';
import type { EffectivePolicy } from '../types.js';
import { accessOf } from '../policy/index.js';
import type { PathKind } from './landlock-plan.js';

// A missing path is the common answer here (bwrap is in one PATH folder of many): asked without an
// exception, whose message node formats at every throw.
const MISSING = Object.assign(new Error('no such file or directory'), { code: 'ENOENT' });

export const realFs: FsProbe = {
  stat(p) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(p, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
    if (!st) return undefined;
    const kind = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
    let executable = false;
    if (kind === 'file') {
      try {
        fs.accessSync(p, fs.constants.X_OK);
        executable = true;
      } catch {
        /* not ours to run */
      }
    }
    return { kind, uid: st.uid, mode: st.mode, executable };
  },
  // One realpath(3) call (node's JS realpathSync lstats every component itself).
  realpath: (p) => {
    if (!fs.statSync(p, { throwIfNoEntry: false })) throw MISSING;
    return fs.realpathSync.native(p);
  },
};

export function kindOf(p: string): PathKind {
  try {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    return st === undefined ? 'missing' : st.isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/** Test hooks of the Linux probes, parsed once from the environment by `sandboxHooksFromEnv`. */
export interface SandboxHooks {
  /** Read this file instead of /proc/version (WSL detection). */
  procVersionFile?: string;
  /** Simulate a kernel without Landlock (a value < 1, e.g. -38); never a weaker real ABI. */
  landlockAbi?: number;
}

/**
 * The one reader of the sandbox test hooks (documented in the README): `CODEX_TS_PROC_VERSION_FILE`
 * and `CODEX_TS_LANDLOCK_ABI`. Values that cannot simulate anything (an ABI >= 1) are dropped here.
 *
 * @example
 *   sandboxHooksFromEnv({ CODEX_TS_LANDLOCK_ABI: '-38' }); // { landlockAbi: -38 }
 */
export function sandboxHooksFromEnv(env: NodeJS.ProcessEnv): SandboxHooks {
  const hooks: SandboxHooks = {};
  if (env.CODEX_TS_PROC_VERSION_FILE) hooks.procVersionFile = env.CODEX_TS_PROC_VERSION_FILE;
  const sim = Number(env.CODEX_TS_LANDLOCK_ABI);
  if (env.CODEX_TS_LANDLOCK_ABI && Number.isFinite(sim) && sim < 1) hooks.landlockAbi = sim;
  return hooks;
}

export function readProcVersion(hooks: SandboxHooks = {}): string | undefined {
  try {
    return fs.readFileSync(hooks.procVersionFile ?? '/proc/version', 'utf8');
  } catch {
    return undefined;
  }
}

let abi: number | undefined;
export function landlockAbi(hooks: SandboxHooks = {}): number {
  // The hook can only simulate a kernel *without* Landlock (never a weaker ABI than the real one).
  if (hooks.landlockAbi !== undefined && hooks.landlockAbi < 1) return hooks.landlockAbi;
  if (abi === undefined) {
    try {
      abi = landlockAbiVersion();
    } catch {
      abi = -1;
    }
  }
  return abi;
}

/** Where discovery looks, and what it skipped (see searchBwrap for the rule). */
export function bwrapSearch(policy: EffectivePolicy, env: NodeJS.ProcessEnv = process.env, execPath = process.execPath): BwrapSearch {
  const tmp = env.TMPDIR && path.isAbsolute(env.TMPDIR) ? [env.TMPDIR] : [];
  return searchBwrap({
    ...(env.CODEX_TS_BWRAP ? { explicit: env.CODEX_TS_BWRAP } : {}),
    pathEnv: env.PATH,
    cwd: policy.cwd,
    execPath,
    writable: (p) => accessOf(policy.rules, p) === 'write',
    tempDirs: [...tmp, os.tmpdir(), ...SHARED_TEMP_DIRS],
    uid: process.getuid?.() ?? 0,
    fs: realFs,
  });
}

/** The bwrap this policy's commands run under: never one they could have planted or replaced. */
export function locateBwrap(policy: EffectivePolicy, env: NodeJS.ProcessEnv = process.env, execPath = process.execPath): FoundBwrap | undefined {
  return bwrapSearch(policy, env, execPath).found;
}

interface ProbeRecord {
  argv0?: boolean;
  userns?: UsernsProbe;
}
interface ProbeCache {
  bootId: string;
  entries: Record<string, ProbeRecord>;
}

const memo = new Map<string, ProbeRecord>();

function bootId(): string {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

function cacheFile(env: NodeJS.ProcessEnv): string {
  return path.join(nativeCacheRoot(env), 'sandbox-probes-v1.json');
}

function keyOf(bwrapPath: string): string {
  try {
    const st = fs.statSync(bwrapPath);
    return `${bwrapPath}|${st.size}|${Math.floor(st.mtimeMs)}|${st.ino}`;
  } catch {
    return bwrapPath;
  }
}

function readCache(env: NodeJS.ProcessEnv): ProbeCache {
  try {
    const c = JSON.parse(fs.readFileSync(cacheFile(env), 'utf8')) as ProbeCache;
    if (c && c.bootId === bootId() && typeof c.entries === 'object') return c;
  } catch {
    /* missing or stale */
  }
  return { bootId: bootId(), entries: {} };
}

function writeCache(env: NodeJS.ProcessEnv, c: ProbeCache): void {
  try {
    const f = cacheFile(env);
    fs.mkdirSync(path.dirname(f), { recursive: true, mode: 0o700 });
    const tmp = `${f}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(c));
    fs.renameSync(tmp, f);
  } catch {
    /* a cache, nothing more */
  }
}

function probe<K extends keyof ProbeRecord>(bwrapPath: string, what: K, run: () => NonNullable<ProbeRecord[K]>, env: NodeJS.ProcessEnv): NonNullable<ProbeRecord[K]> {
  const key = keyOf(bwrapPath);
  const m = memo.get(key) ?? {};
  const hit = m[what];
  if (hit !== undefined) return hit as NonNullable<ProbeRecord[K]>;
  const cache = readCache(env);
  const rec = cache.entries[key] ?? {};
  let value = rec[what];
  if (value === undefined) {
    value = run();
    rec[what] = value;
    cache.entries[key] = rec;
    writeCache(env, cache);
  }
  m[what] = value;
  memo.set(key, m);
  return value as NonNullable<ProbeRecord[K]>;
}

// The probes use spawnSync, not execa: they run inside the synchronous route planning (once per
// bwrap file and boot), and a static import of execa would load its modules at every sandboxed start.

/** Whether this bwrap has `--argv0` (asked once per bwrap file and boot). */
export function bwrapSupportsArgv0(bwrapPath: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return probe(bwrapPath, 'argv0', () => {
    const r = process.getBuiltinModule('node:child_process').spawnSync(bwrapPath, ['--help'], { encoding: 'utf8', timeout: 10_000 });
    return helpHasArgv0(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  }, env);
}

/**
 * Whether this bwrap can create user + network namespaces here (once per bwrap file and boot).
 *
 * @example
 *   bwrapUsernsProbe('/usr/bin/bwrap'); // whether namespaces can be created here, with the reason when not
 */
export function bwrapUsernsProbe(bwrapPath: string, env: NodeJS.ProcessEnv = process.env): UsernsProbe {
  return probe(bwrapPath, 'userns', () => {
    const r = process.getBuiltinModule('node:child_process').spawnSync(bwrapPath, usernsProbeArgs(bwrapPath), { encoding: 'utf8', timeout: 10_000 });
    return interpretUsernsProbe(r.status, String(r.stderr ?? r.error?.message ?? ''));
  }, env);
}

/** Top-level symlinks of `/` (e.g. `/lib64` → `usr/lib64`): a profile that hides `/` still needs them. */
export function rootSymlinks(): { path: string; target: string }[] {
  const out: { path: string; target: string }[] = [];
  try {
    for (const name of fs.readdirSync('/')) {
      const p = `/${name}`;
      try {
        if (fs.lstatSync(p).isSymbolicLink()) out.push({ path: p, target: fs.readlinkSync(p) });
      } catch {
        /* raced away */
      }
    }
  } catch {
    /* no listing: nothing to recreate */
  }
  return out;
}
