// Finding and probing bubblewrap. Every input that differs between machines (PATH, the fs checks,
// /proc/version, the probe runner) is injected so each case is testable without the real system.
import * as path from 'node:path';
import { isWithin } from '../policy/index.js';

/** What discovery needs to know about one path (following symlinks); undefined when it is missing. */
export interface FileFacts {
  kind: 'file' | 'dir' | 'other';
  uid: number;
  mode: number;
  /** For files: whether we may execute it. */
  executable: boolean;
}

export interface FsProbe {
  stat(p: string): FileFacts | undefined;
  /** Throws when p does not exist. */
  realpath(p: string): string;
}

/** `configured`: named by the caller (`CODEX_TS_BWRAP`), `system`: found on PATH, `bundled`: beside our executable. */
export type BwrapSource = 'configured' | 'system' | 'bundled';

export interface FoundBwrap {
  /** The resolved file (symlinks followed at discovery, so a swapped link cannot redirect the run). */
  path: string;
  source: BwrapSource;
}

export interface SkippedBwrap {
  path: string;
  reason: string;
}

export interface BwrapSearch {
  found?: FoundBwrap;
  /** Candidates that exist but are not used, and why (for refusals and `--explain`). */
  skipped: SkippedBwrap[];
}

export interface BwrapSearchInput {
  /** The bwrap the caller names (`CODEX_TS_BWRAP`): the only candidate when set. */
  explicit?: string;
  pathEnv: string | undefined;
  cwd: string;
  execPath: string;
  /** Whether the policy lets a sandboxed command write p (`accessOf(rules, p) === 'write'`). */
  writable: (p: string) => boolean;
  /** Folders every command can write: $TMPDIR, /tmp, /var/tmp, /dev/shm. */
  tempDirs: readonly string[];
  /** Our uid: files owned by it or by root are ours to trust. */
  uid: number;
  fs: FsProbe;
}

export const SHARED_TEMP_DIRS = ['/tmp', '/var/tmp', '/dev/shm'] as const;

/** p and every folder above it, p first. */
function selfAndAncestors(p: string): string[] {
  const out = [p];
  for (let d = path.dirname(p); d !== out[out.length - 1]; d = path.dirname(d)) out.push(d);
  return out;
}

/**
 * The bwrap we may run outside the sandbox: the first on PATH, else `codex-resources/bwrap` beside
 * our (real) executable, that no sandboxed command could have planted or replaced. A PATH candidate
 * is skipped when it comes from a relative PATH entry, or when its real path or any folder above it
 * is writable under the policy, lies in the cwd or a shared temp folder, is group/world-writable, or
 * belongs to anyone but root; when we run as root it must also lie in a system folder
 * (`SYSTEM_BWRAP_DIRS`), since an earlier run's root command could have made it. The bundled one only needs
 * the ownership rule: the executable's folder is bound read-only inside every sandbox of ours (and
 * the Landlock fallback refuses a policy that could write it), so no sandboxed command can replace it
 * wherever the checkout lies (a clone under /tmp included).
 */
export function searchBwrap(input: BwrapSearchInput): BwrapSearch {
  const { fs } = input;
  const skipped: SkippedBwrap[] = [];
  const tryOne = (cand: string, source: BwrapSource, viaDir?: string): FoundBwrap | undefined => {
    let real: string;
    try {
      real = fs.realpath(cand);
    } catch {
      return undefined;
    }
    const facts = fs.stat(real);
    if (!facts || facts.kind !== 'file' || !facts.executable) return undefined;
    const why = source === 'bundled' ? foreignWritable(input, selfAndAncestors(real)) : untrusted(input, real, viaDir, source === 'configured');
    if (why) {
      skipped.push({ path: cand, reason: source === 'bundled' ? `the codex executable lives where commands could replace it: ${why}` : why });
      return undefined;
    }
    return { path: real, source };
  };
  if (input.explicit !== undefined) {
    // Named by whoever started us, so it is the one to run or nothing: no silent substitute.
    const named = input.explicit;
    if (!path.isAbsolute(named)) return { skipped: [{ path: named, reason: 'CODEX_TS_BWRAP must be an absolute path' }] };
    const hit = tryOne(named, 'configured');
    if (hit) return { found: hit, skipped };
    return { skipped: skipped.length > 0 ? skipped : [{ path: named, reason: 'CODEX_TS_BWRAP names no executable file' }] };
  }
  for (const dir of (input.pathEnv ?? '').split(':')) {
    if (!path.isAbsolute(dir)) {
      const rel = path.join(path.resolve(input.cwd, dir || '.'), 'bwrap');
      if (fs.stat(rel)?.kind === 'file') skipped.push({ path: rel, reason: `it comes from the relative PATH entry '${dir}'` });
      continue;
    }
    const hit = tryOne(path.join(dir, 'bwrap'), 'system', dir);
    if (hit) return { found: hit, skipped };
  }
  const exeDir = path.dirname(safeReal(fs, input.execPath));
  const bundled = tryOne(path.join(exeDir, 'codex-resources', 'bwrap'), 'bundled');
  if (bundled) return { found: bundled, skipped };
  return { skipped };
}

/** The bwrap to run, or undefined: `searchBwrap` without the reasons. */
export function findBwrap(input: BwrapSearchInput): FoundBwrap | undefined {
  return searchBwrap(input).found;
}

/**
 * Why a resolved candidate cannot be trusted, or undefined when it can. A bwrap the caller named
 * needs only the ownership rule of the bundled one (root or us): naming it vouches for how it got
 * there, which is what the stricter PATH rule stands in for.
 */
function untrusted(input: BwrapSearchInput, real: string, viaDir: string | undefined, named: boolean): string | undefined {
  const { fs } = input;
  const chain = selfAndAncestors(real);
  // The PATH folder as written and as resolved: a command able to write there could point `bwrap` elsewhere later.
  const checked = viaDir ? [...chain, viaDir, safeReal(fs, viaDir)] : chain;
  for (const p of checked) {
    if (input.writable(p)) return `${p} is writable by sandboxed commands under this policy`;
  }
  // (`/` as the cwd or a temp dir would exclude everything: it is judged by the other rules.)
  const within = (dir: string) => [dir, safeReal(fs, dir)].find((c) => c !== '/' && checked.some((p) => isWithin(c, p)));
  const inCwd = within(input.cwd);
  if (inCwd) return `it lies inside the working directory ${inCwd}`;
  for (const t of input.tempDirs) {
    const inTemp = within(t);
    if (inTemp) return `it lies inside the temporary folder ${inTemp}`;
  }
  return named ? foreignWritable(input, chain) : notRootsAlone(input, chain, real);
}

/**
 * Where a PATH bwrap must live. The checks above only see this run's policy; an earlier run with
 * other writable roots may have planted a `bwrap` in a folder a later PATH names. A command running
 * as us makes files owned by us, so a PATH bwrap must be root's alone (file and every folder above
 * it). When we are root, sandboxed commands are root too, so it must also lie in a system folder.
 */
export const SYSTEM_BWRAP_DIRS = ['/usr', '/bin', '/sbin', '/nix/store', '/gnu/store', '/snap'] as const;

function notRootsAlone(input: BwrapSearchInput, chain: readonly string[], real: string): string | undefined {
  const why = ownershipProblem(input, chain, 'root');
  if (why) return why;
  if (input.uid === 0 && !SYSTEM_BWRAP_DIRS.some((d) => isWithin(d, real))) {
    return `codex runs as root, so only a bwrap under ${SYSTEM_BWRAP_DIRS.join(', ')} is trusted (a root command of an earlier run could have made this one)`;
  }
  return undefined;
}

/** Whether anyone but root and us could replace the file or a folder on its way (`chain`: the file, then each folder above it). */
function foreignWritable(input: BwrapSearchInput, chain: readonly string[]): string | undefined {
  return ownershipProblem(input, chain, 'root-or-us');
}

/**
 * The one walk behind both ownership rules: each entry of `chain` must belong to `owners` and be
 * writable by nobody else. Under 'root-or-us' a sticky world-writable folder (/tmp) is fine when the
 * entry below it is ours or root's: others cannot rename or remove it there. 'root' has no such
 * exception.
 */
function ownershipProblem(input: BwrapSearchInput, chain: readonly string[], owners: 'root' | 'root-or-us'): string | undefined {
  const S_ISVTX = 0o1000;
  const trusted = (uid: number) => uid === 0 || (owners === 'root-or-us' && uid === input.uid);
  for (let i = 0; i < chain.length; i++) {
    const p = chain[i]!;
    const f = input.fs.stat(p);
    if (!f) return `${p} vanished while checked`;
    if (!trusted(f.uid)) {
      return owners === 'root' ? `${p} belongs to uid ${f.uid}, not root (a command of an earlier run could have made it)` : `${p} belongs to uid ${f.uid}, neither root nor us`;
    }
    if ((f.mode & 0o022) === 0) continue;
    const below = i > 0 ? input.fs.stat(chain[i - 1]!) : undefined;
    const stickyOverOurs = owners === 'root-or-us' && f.kind === 'dir' && (f.mode & S_ISVTX) !== 0 && below !== undefined && trusted(below.uid);
    if (!stickyOverOurs) return `${p} is writable by ${(f.mode & 0o002) !== 0 ? 'everyone' : 'its group'}`;
  }
  return undefined;
}

/** The refusal text when no bwrap is usable, naming the candidates skipped and why. */
export function noBwrapReason(search: BwrapSearch): string {
  if (search.skipped.length === 0) return 'no bubblewrap found';
  const list = search.skipped.map((s) => `${s.path} (${s.reason})`).join('; ');
  return `no bubblewrap that sandboxed commands cannot have replaced: not running ${list}`;
}

function safeReal(fs: FsProbe, p: string): string {
  try {
    return fs.realpath(p);
  } catch {
    return p;
  }
}

/** WSL1 kernels say "Microsoft" in /proc/version; WSL2 kernels say "microsoft-standard-WSL2". */
export function isWsl1(procVersion: string | undefined): boolean {
  if (!procVersion) return false;
  return /Microsoft/.test(procVersion) && !/WSL2/i.test(procVersion);
}

/** `bwrap --help` output → whether `--argv0` exists (bubblewrap 0.9.0+; Debian's 0.8.0 has none). */
export function helpHasArgv0(helpText: string): boolean {
  return /(^|\s)--argv0\b/m.test(helpText);
}

export type UsernsStep = 'uid-map' | 'loopback' | 'netns' | 'userns' | 'container' | 'unknown';

export interface UsernsProbe {
  ok: boolean;
  step?: UsernsStep;
  /** bwrap's own message (first line). */
  detail?: string;
}

/** Names the bwrap setup step behind a failure message and the fix to offer. */
export function classifyBwrapFailure(stderr: string): { step: UsernsStep; detail: string; fix: string } {
  const detail = stderr.split('\n').find((l) => l.trim().length > 0)?.trim() ?? '(no message)';
  const s = stderr;
  if (/setting up uid map|uid_map|write to .*setgroups/i.test(s)) {
    return { step: 'uid-map', detail, fix: FIX_APPARMOR };
  }
  if (/loopback|RTM_NEWADDR|RTM_NEWLINK/i.test(s)) return { step: 'loopback', detail, fix: FIX_APPARMOR };
  if (/pivot_root|make \/ slave|Failed to make|mount.*Operation not permitted|CAP_SYS_ADMIN/i.test(s)) {
    return { step: 'container', detail, fix: FIX_CONTAINER };
  }
  if (/new namespace|unshare.*net|Creating new namespace failed.*net/i.test(s) && /net/i.test(s)) return { step: 'netns', detail, fix: FIX_APPARMOR };
  if (/No permissions to creating new namespace|Creating new namespace failed|user namespace|unshare/i.test(s)) {
    return { step: 'userns', detail, fix: FIX_APPARMOR };
  }
  return { step: 'unknown', detail, fix: 'run `codex sandbox --explain -- CMD` and the printed bwrap argv by hand to see which step fails' };
}

export const FIX_APPARMOR =
  'allow bwrap to create user namespaces: install the AppArmor profile for bwrap (e.g. Ubuntu 24.04: `sudo apt install apparmor-profiles` and load /usr/share/apparmor/extra-profiles/bwrap-userns-restrict), or as a last resort `sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0`';
export const FIX_CONTAINER =
  'this looks like a container without the privileges bwrap needs: run it with `--security-opt seccomp=unconfined --security-opt apparmor=unconfined` (or `--cap-add SYS_ADMIN`), or use `-s danger-full-access` and rely on the container as the sandbox';

/** The userns probe command: bwrap starting itself (always present) in fresh user + net namespaces. */
export function usernsProbeArgs(bwrapPath: string): string[] {
  return ['--unshare-user', '--unshare-net', '--ro-bind', '/', '/', '--dev', '/dev', '--', bwrapPath, '--version'];
}

export function interpretUsernsProbe(status: number | null, stderr: string): UsernsProbe {
  if (status === 0) return { ok: true };
  const c = classifyBwrapFailure(stderr);
  return { ok: false, step: c.step, detail: c.detail };
}
