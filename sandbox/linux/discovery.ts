// Finding and probing bubblewrap. Every input that differs between machines (PATH, the fs checks,
// /proc/version, the probe runner) is injected so each case is testable without the real system.
import * as path from 'node:path';

export interface FsProbe {
  isExecutableFile(p: string): boolean;
  realpath(p: string): string;
}

export type BwrapSource = 'system' | 'bundled';

export interface FoundBwrap {
  path: string;
  source: BwrapSource;
}

function inside(child: string, dir: string): boolean {
  return child === dir || child.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

/**
 * The first `bwrap` on PATH that is not inside the cwd (a repository could plant one there),
 * else `codex-resources/bwrap` beside our executable, else undefined.
 */
export function findBwrap(opts: { pathEnv: string | undefined; cwd: string; execPath: string; fs: FsProbe }): FoundBwrap | undefined {
  const { fs } = opts;
  const cwdReal = safeReal(fs, opts.cwd);
  for (const dir of (opts.pathEnv ?? '').split(':')) {
    const abs = path.resolve(opts.cwd, dir || '.');
    const cand = path.join(abs, 'bwrap');
    if (!fs.isExecutableFile(cand)) continue;
    const real = safeReal(fs, cand);
    if (inside(abs, opts.cwd) || inside(abs, cwdReal) || inside(real, cwdReal)) continue;
    return { path: cand, source: 'system' };
  }
  const bundled = path.join(path.dirname(safeReal(fs, opts.execPath)), 'codex-resources', 'bwrap');
  if (fs.isExecutableFile(bundled)) return { path: bundled, source: 'bundled' };
  return undefined;
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
