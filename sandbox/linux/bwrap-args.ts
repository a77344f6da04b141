// The bubblewrap command line for a policy (pure: paths are classified by an injected `kindOf`,
// nothing runs). Mount order is parents before children, so a narrower entry always lands on top
// of a broader one and a reopened child is re-bound after its denied parent.
import type { Access, EffectivePolicy, FsRule } from '../types.js';
import type { PathKind } from './landlock-plan.js';
import { accessOf, isStrictlyWithin } from '../policy/index.js';

export const SANDBOX_HELPER_ARG0 = 'codex-linux-sandbox';

export interface InnerReexec {
  /** Our executable (bound read-only inside). */
  selfExe: string;
  /** bwrap understands `--argv0` (0.9.0+). Without it: a private dir holding a `codex-linux-sandbox` symlink. */
  argv0Supported: boolean;
  compatDir?: string;
  /** Helper args placed before `--` and the command (e.g. the inner seccomp stage). */
  helperArgs: string[];
}

/** Paths of our own that a command must never change, whatever the policy says (see `internalPaths`). */
export interface InternalPaths {
  /** Bound read-only on top of everything when the policy would let the command write them. */
  readOnly: readonly string[];
  /** Files hidden (bound to /dev/null) wherever the policy would let the command read them. */
  hidden: readonly string[];
}

export interface BwrapArgsInput {
  policy: EffectivePolicy;
  kindOf: (p: string) => PathKind;
  command: readonly string[];
  /** Our executable: always visible read-only, whatever the profile grants. */
  selfExe: string;
  /** More paths needed read-only inside even under a `none` rule (e.g. the native addon cache for the inner re-exec). */
  extraReadOnly?: readonly string[];
  internal?: InternalPaths;
  /** Missing protected paths that need no placeholder (we could not create them: neither can the command). */
  noPlaceholder?: ReadonlySet<string>;
  /** An existing empty dir (maybe another sandbox's placeholder: it must be leased too). */
  isEmptyDir?: (p: string) => boolean;
  /** Top-level symlinks of the host root (`/bin` → `usr/bin` on merged-/usr systems), recreated when `/` itself is not visible. */
  rootSymlinks?: readonly { path: string; target: string }[];
  /** fd (in bwrap's process) holding the seccomp program. */
  seccompFd?: number;
  innerReexec?: InnerReexec;
}

export interface BwrapArgs {
  args: string[];
  /**
   * Protected paths under a writable root that are missing (e.g. `.git`) or empty dirs: the caller
   * creates the missing ones and leases them all before bwrap starts (they are bound read-only, so
   * the command cannot create the real thing).
   */
  placeholders: string[];
}

function depth(p: string): number {
  return p === '/' ? 0 : p.split('/').length - 1;
}

function parentOf(p: string): string {
  return p.slice(0, p.lastIndexOf('/')) || '/';
}

function isKernelFs(p: string): boolean {
  return p === '/dev' || p.startsWith('/dev/') || p === '/proc' || p.startsWith('/proc/');
}

/** Access a path would have without its own rule (nearest ancestor rule, else none). */
function parentAccess(rules: readonly FsRule[], p: string): Access {
  return p === '/' ? 'none' : accessOf(rules, parentOf(p));
}

/**
 * Directories strictly between a carve-out (a read-only or denied path under a writable one) and
 * the writable rule above it. Each becomes a mount point of itself, so the command cannot rename
 * it (EBUSY) and carry the carve-out out from under its rule for the next run.
 */
function anchorsOf(rules: readonly FsRule[], carveouts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const c of carveouts) {
    const writable = rules.filter((r) => r.access === 'write' && isStrictlyWithin(r.path, c)).sort((a, b) => b.path.length - a.path.length)[0];
    if (!writable) continue;
    for (let d = parentOf(c); isStrictlyWithin(writable.path, d); d = parentOf(d)) out.add(d);
  }
  return [...out];
}

export function buildBwrapArgs(input: BwrapArgsInput): BwrapArgs {
  const { policy, kindOf } = input;
  const rules = policy.rules;
  const a: string[] = ['--new-session', '--die-with-parent'];
  const placeholders: string[] = [];
  const deferredRemounts: string[] = [];

  const rootAccess = accessOf(rules, '/');
  switch (rootAccess) {
    case 'write':
      a.push('--bind', '/', '/');
      break;
    case 'read':
      a.push('--ro-bind', '/', '/');
      break;
    case 'none':
      a.push('--tmpfs', '/');
      for (const l of input.rootSymlinks ?? []) {
        const abs = l.target.startsWith('/') ? l.target : `/${l.target}`;
        if (accessOf(rules, abs) !== 'none') a.push('--symlink', l.target, l.path);
      }
      break;
  }
  a.push('--dev', '/dev');

  const rulePaths = [...new Set(rules.map((r) => r.path))].filter((p) => p !== '/' && !isKernelFs(p));
  const carveouts = rulePaths.filter((p) => accessOf(rules, p) !== 'write' && parentAccess(rules, p) === 'write');
  const anchors = anchorsOf(rules, carveouts).filter((d) => !rulePaths.includes(d));
  const paths = [...rulePaths, ...anchors];
  paths.sort((x, y) => depth(x) - depth(y) || (x < y ? -1 : x > y ? 1 : 0));
  const isAnchor = new Set(anchors);
  for (const p of paths) {
    const want = accessOf(rules, p);
    const kind = kindOf(p);
    if (isAnchor.has(p)) {
      if (kind === 'dir' && want !== 'none') a.push(want === 'write' ? '--bind' : '--ro-bind', p, p);
      continue;
    }
    const inherited = parentAccess(rules, p);
    if (want === inherited) continue;
    switch (want) {
      case 'write':
        if (kind !== 'missing') a.push('--bind', p, p);
        break;
      case 'read':
        if (kind !== 'missing') {
          a.push('--ro-bind', p, p);
          if (inherited === 'write' && kind === 'dir' && input.isEmptyDir?.(p)) placeholders.push(p);
        } else if (inherited === 'write' && !input.noPlaceholder?.has(p)) {
          // Created empty by the caller just before bwrap starts, then bound read-only on itself.
          a.push('--ro-bind', p, p);
          placeholders.push(p);
        }
        break;
      case 'none':
        if (kind === 'dir') {
          // Unlistable; traversable (0111) only when a child is reopened below it.
          const reopened = paths.some((q) => isStrictlyWithin(p, q) && accessOf(rules, q) !== 'none');
          a.push('--perms', reopened ? '111' : '000', '--tmpfs', p);
          if (reopened) deferredRemounts.push(p);
          else a.push('--remount-ro', p);
        } else if (kind === 'file') {
          a.push('--ro-bind', '/dev/null', p);
        }
        break;
    }
  }
  for (const p of deferredRemounts) a.push('--remount-ro', p);

  const ro = new Set<string>([input.selfExe, ...(input.extraReadOnly ?? [])]);
  if (input.innerReexec?.compatDir) ro.add(input.innerReexec.compatDir);
  for (const p of ro) {
    if (accessOf(rules, p) === 'none' && kindOf(p) !== 'missing') a.push('--ro-bind', p, p);
  }
  // Our own files last, on top of every policy mount: the executable's folder (the bundled bwrap),
  // the native addon cache, CODEX_HOME. A command that could change them would run code outside the
  // sandbox at the next start.
  for (const p of input.internal?.readOnly ?? []) {
    if (kindOf(p) === 'missing') continue;
    const writable = accessOf(rules, p) === 'write' || rules.some((r) => r.access === 'write' && isStrictlyWithin(p, r.path));
    if (writable) a.push('--ro-bind', p, p);
  }
  for (const p of input.internal?.hidden ?? []) {
    if (kindOf(p) === 'file' && accessOf(rules, p) !== 'none') a.push('--ro-bind', '/dev/null', p);
  }

  a.push('--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try');
  if (!policy.network) a.push('--unshare-net');
  a.push('--proc', '/proc', '--cap-drop', 'ALL', '--chdir', policy.cwd);
  if (input.seccompFd !== undefined) a.push('--seccomp', String(input.seccompFd));

  const inner = input.innerReexec;
  if (!inner) {
    a.push('--', ...input.command);
  } else if (inner.argv0Supported) {
    a.push('--argv0', SANDBOX_HELPER_ARG0, '--', inner.selfExe, ...inner.helperArgs, '--', ...input.command);
  } else {
    if (!inner.compatDir) throw new Error('bwrap without --argv0 needs a compatibility dir for the inner re-exec');
    a.push('--', `${inner.compatDir}/${SANDBOX_HELPER_ARG0}`, ...inner.helperArgs, '--', ...input.command);
  }
  return { args: a, placeholders };
}
