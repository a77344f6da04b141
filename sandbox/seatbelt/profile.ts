// macOS Seatbelt (SBPL) profile generation. Paths from the policy never appear in the profile text:
// each is a `(param "NAME")` passed with `sandbox-exec -D NAME=value`, so spaces, quotes, parentheses
// and non-ASCII need no escaping. The one exception is `none` globs, which become anchored regexes
// (Seatbelt has no parameterised regex); those are escaped, and a glob that cannot be escaped safely is
// refused. Verified by golden files and a last-match-wins evaluator in the tests, not on macOS.
//
// Layout, in order (Seatbelt applies the LAST matching rule):
//   base → network → :minimal platform defaults → filesystem steps, shallow to deep → metadata of
//   unreadable ancestors → no-rename of roots and of folders above carve-outs → `none` globs → Docker.
// Filesystem steps sorted by path length give "the most specific rule wins" under last-match-wins.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodexError } from '../../protocol/index.js';
import type { Access, EffectivePolicy } from '../types.js';
import { accessOf, canonicalPath, isStrictlyWithin, normalizeRules } from '../policy/index.js';
import { BASE_POLICY, DOCKER_DENY, MINIMAL_POLICY, NETWORK_POLICY, TTY_DENY } from './base.js';
import { globToSeatbeltRegex, sbplRegexLiteral } from './glob-regex.js';

export interface SeatbeltOptions {
  /** Unix socket paths (or folders holding them) a command may bind or connect to. Nothing else is reachable. */
  allowUnixSockets?: readonly string[];
  /** The per-user cache folder (`getconf DARWIN_USER_CACHE_DIR`): writable when the network is on (TLS trust, DNS, clang modules). */
  userCacheDir?: string;
  /**
   * More paths to keep read-only where a writable root covers them: what our own process later loads
   * outside the sandbox (the executable, the native addon cache), so a command cannot plant code there.
   */
  protectedPaths?: readonly string[];
  /** Files that must stay readable and executable whatever the policy (our own executable, which the patch tool runs). */
  readablePaths?: readonly string[];
}

export interface SeatbeltProfile {
  profile: string;
  /** `-D` parameters in order: [NAME, absolute path]. */
  params: Array<[string, string]>;
}

/** Names kept read-only under every writable root, whether or not they exist (Seatbelt rules create nothing on disk). */
export const SEATBELT_PROTECTED_NAMES = ['.git', '.agents', '.codex'] as const;

type StepKind = Access | 'protect';

interface Step {
  path: string;
  kind: StepKind;
}

/** One parameter per path, named after the first role it plays. */
class Params {
  readonly list: Array<[string, string]> = [];
  private readonly byPath = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  ref(prefix: string, p: string): string {
    let name = this.byPath.get(p);
    if (!name) {
      const n = this.counters.get(prefix) ?? 0;
      this.counters.set(prefix, n + 1);
      name = `${prefix}_${n}`;
      this.byPath.set(p, name);
      this.list.push([name, p]);
    }
    return `(param "${name}")`;
  }
}

const PREFIX: Record<StepKind, string> = { read: 'READABLE_ROOT', write: 'WRITABLE_ROOT', none: 'DENIED_PATH', protect: 'PROTECTED_PATH' };

function child(root: string, name: string): string {
  return root === '/' ? `/${name}` : `${root}/${name}`;
}

function parentDir(p: string): string | undefined {
  if (p === '/') return undefined;
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** The `gitdir:` target a `.git` pointer file names (canonical), if `root/.git` is such a file. */
export function gitdirTarget(root: string): string | undefined {
  const git = child(root, '.git');
  let text: string;
  try {
    if (!fs.statSync(git).isFile()) return undefined;
    text = fs.readFileSync(git, 'utf8');
  } catch {
    return undefined;
  }
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
  return m ? canonicalPath(path.posix.resolve(path.posix.dirname(canonicalPath(git)), m[1]!)) : undefined;
}

/**
 * Paths to keep read-only that the rule table may not list: `.git`, `.agents`, `.codex` under every
 * writable root, missing or not, and the gitdir target of a `.git` pointer file. A path the table
 * names itself is left to its rule (an explicit `…/.git = "write"` entry wins, as in the resolver).
 */
export function seatbeltProtections(rules: ReturnType<typeof normalizeRules>, extra: readonly string[] = []): string[] {
  const named = new Set(rules.map((r) => r.path));
  const out = new Set<string>();
  for (const p of extra) if (p.startsWith('/') && accessOf(rules, canonicalPath(p)) === 'write') out.add(canonicalPath(p));
  for (const w of rules.filter((r) => r.access === 'write')) {
    for (const n of SEATBELT_PROTECTED_NAMES) out.add(child(w.path, n));
    const t = gitdirTarget(w.path);
    if (t !== undefined) out.add(t);
  }
  return [...out].filter((p) => !named.has(p)).sort();
}

function filters(ref: string): string {
  return `(literal ${ref}) (subpath ${ref})`;
}

/** `none` globs as regexes, with the canonical spelling of the literal prefix too when it differs. */
function globRegexes(globs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const g of globs) {
    if (/["\u0000-\u001f\u007f]/.test(g)) {
      throw new CodexError('SANDBOX_UNSUPPORTED', `the \`none\` glob ${JSON.stringify(g)} contains a quote or control character the Seatbelt profile cannot express; refusing to run with weaker enforcement`);
    }
    out.add(globToSeatbeltRegex(g));
    const segs = g.split('/');
    const first = segs.findIndex((s) => /[*?[\]]/.test(s));
    if (first > 1) {
      const prefix = segs.slice(0, first).join('/');
      const canon = canonicalPath(prefix);
      if (canon !== prefix) out.add(globToSeatbeltRegex(`${canon === '/' ? '' : canon}/${segs.slice(first).join('/')}`));
    }
  }
  return [...out];
}

/**
 * The macOS Seatbelt (SBPL) profile text enforcing `policy`, with its parameters; pure, compared against golden files since sandbox-exec cannot run here.
 *
 * @example
 *   const { profile, params } = seatbeltProfile(policy, hostSeatbeltOptions(process.env));
 */
export function seatbeltProfile(policy: EffectivePolicy, opts: SeatbeltOptions = {}): SeatbeltProfile {
  if (policy.unrestricted) throw new CodexError('INTERNAL', 'danger-full-access runs without Seatbelt; no profile to build');
  const rules = normalizeRules(policy.rules);
  const P = new Params();
  const writes = rules.filter((r) => r.access === 'write');
  const fullRead = rules.some((r) => r.path === '/' && r.access !== 'none');
  const parts: string[] = [BASE_POLICY];

  // Network, and the Unix-socket allowlist (the only Unix sockets reachable, network on or off).
  const sockets = [...new Set((opts.allowUnixSockets ?? []).filter((s) => s.startsWith('/')).map(canonicalPath))].sort();
  if (policy.network) {
    let net = NETWORK_POLICY;
    if (opts.userCacheDir) net += `; The per-user cache folder (TLS trust store, DNS, clang module cache).\n(allow file-read* file-write* (subpath ${P.ref('DARWIN_USER_CACHE_DIR', canonicalPath(opts.userCacheDir))}))\n`;
    parts.push(net);
  } else {
    parts.push('\n; Network access is denied by the policy: no IP sockets, no Unix sockets beyond the allowlist.\n');
  }
  if (sockets.length > 0) {
    const refs = sockets.map((s) => P.ref('UNIX_SOCKET_PATH', s));
    parts.push(
      `; Unix sockets on the allowlist (and below a listed folder) only.\n(allow system-socket (socket-domain AF_UNIX))\n` +
        refs.map((r) => `(allow network-bind (local unix-socket (subpath ${r})))\n(allow network-outbound (remote unix-socket (subpath ${r})))\n`).join(''),
    );
  }

  if (!fullRead && (policy.detail?.minimalReadRoots.length ?? 0) > 0) parts.push(MINIMAL_POLICY);

  const runtime = [...new Set((opts.readablePaths ?? []).filter((p) => p.startsWith('/')).map(canonicalPath))].filter((p) => accessOf(rules, p) === 'none');
  if (runtime.length > 0) {
    parts.push(`\n; Our own executable stays runnable under any policy (the patch tool runs it).\n(allow file-read* file-map-executable process-exec\n${runtime.map((p) => `  (literal ${P.ref('RUNTIME_PATH', p)})`).join('\n')})\n`);
  }

  // Filesystem steps, shallow to deep: each later (deeper) step overrides the ones above it.
  const protections = seatbeltProtections(rules, opts.protectedPaths);
  const steps: Step[] = [...rules.map((r) => ({ path: r.path, kind: r.access as StepKind })), ...protections.map((p) => ({ path: p, kind: 'protect' as const }))];
  steps.sort((a, b) => a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const lines: string[] = [];
  for (const s of steps) {
    const ref = P.ref(PREFIX[s.kind], s.path);
    const underWrite = writes.some((w) => isStrictlyWithin(w.path, s.path));
    switch (s.kind) {
      case 'write':
        lines.push(`(allow file-read* file-write* file-map-executable process-exec (subpath ${ref}))`);
        break;
      case 'read':
        lines.push(`(allow file-read* file-map-executable process-exec (subpath ${ref}))`);
        if (underWrite) lines.push(`(deny file-write* ${filters(ref)})`);
        break;
      case 'none':
        lines.push(`(deny file-read* file-write* file-map-executable process-exec ${filters(ref)})`);
        break;
      case 'protect':
        lines.push(`(deny file-write* ${filters(ref)})`);
        break;
    }
  }
  parts.push(`\n; Filesystem, shallow to deep (the most specific path decides). Protected names under every\n; writable root stay read-only whether or not they exist yet.\n${lines.length ? lines.join('\n') : '; (nothing readable)'}\n`);
  // Whatever the filesystem rules grant, a terminal opens only with the pty extension (ptys made inside).
  parts.push(TTY_DENY);

  // Tools stat every ancestor of a path (realpath, getcwd). Where an ancestor of a granted path is
  // itself unreadable, allow only its metadata: no listing, no contents.
  const ancestors = new Set<string>();
  for (const r of rules) {
    if (r.access === 'none') continue;
    for (let a = parentDir(r.path); a !== undefined; a = parentDir(a)) if (accessOf(rules, a) === 'none') ancestors.add(a);
  }
  if (ancestors.size > 0) {
    parts.push(`\n; Metadata only for unreadable ancestors of granted paths.\n(allow file-read-metadata\n${[...ancestors].sort().map((a) => `  (literal ${P.ref('ANCESTOR', a)})`).join('\n')})\n`);
  }

  // Path rules follow names, not folders: renaming a writable root, or a folder between a writable
  // root and a carve-out, would carry `.git` or a `none` path out from under its rule. Deny it.
  const pinned = new Set<string>(writes.map((w) => w.path));
  const carveouts = [...rules.filter((r) => r.access !== 'write' && writes.some((w) => isStrictlyWithin(w.path, r.path))).map((r) => r.path), ...protections];
  for (const c of carveouts) {
    for (let a = parentDir(c); a !== undefined; a = parentDir(a)) {
      if (accessOf(rules, a) === 'write') pinned.add(a);
    }
  }
  if (pinned.size > 0) {
    parts.push(`\n; No renaming or removing writable roots or the folders above their carve-outs.\n(deny file-write-unlink\n${[...pinned].sort().map((p) => `  (literal ${P.ref('PINNED_PATH', p)})`).join('\n')})\n`);
  }

  const globs = globRegexes(policy.detail?.denyGlobs ?? []);
  if (globs.length > 0) {
    parts.push(`\n; \`none\` globs, checked on every open (files created later included).\n${globs.map((g) => `(deny file-read* file-write* file-map-executable process-exec (regex ${sbplRegexLiteral(g)}))`).join('\n')}\n`);
  }
  parts.push(DOCKER_DENY);
  return { profile: parts.join(''), params: P.list };
}
