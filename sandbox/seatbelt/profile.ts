// macOS Seatbelt (SBPL) profile generation, pure. Paths never appear in the profile text: each rule
// path is a `(param "NAME")` passed with `sandbox-exec -D NAME=value`, so spaces, quotes, parentheses
// and non-ASCII need no escaping. Tested as text here (sandbox-exec does not exist on Linux).
import { assertNever, CodexError } from '../../protocol/index.js';
import { accessOf, type Access, type EffectivePolicy, type FsRule } from '../types.js';
import { normalizeRules, parentRule } from '../policy/table.js';

export const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

export interface SeatbeltProfile {
  profile: string;
  /** `-D` parameters in order: [NAME, absolute path]. */
  params: Array<[string, string]>;
}

const BASE = `(version 1)
; Deny by default; everything below is an explicit allowance.
(deny default)

; Processes: run and fork children, signal and inspect only processes of this sandbox.
(allow process-exec)
(allow process-fork)
(allow signal (target same-sandbox))
(allow process-info* (target same-sandbox))

; System facts many tools read.
(allow sysctl-read)
; cfprefs-backed behaviour needs the default preferences.
(allow user-preference-read)

; User/group lookups (getpwuid), notifications and logging that libc and common tools call into.
(allow mach-lookup
  (global-name "com.apple.system.opendirectoryd.libinfo")
  (global-name "com.apple.system.notification_center")
  (global-name "com.apple.system.logger")
  (global-name "com.apple.logd"))

; POSIX semaphores (Python multiprocessing) and pseudo-terminals.
(allow ipc-posix-sem)
(allow pseudo-tty)
(allow file-read* file-write* file-ioctl (literal "/dev/ptmx") (regex #"^/dev/ttys[0-9]+$"))

; Character devices every process expects.
(allow file-read* (literal "/dev/null") (literal "/dev/zero") (literal "/dev/random") (literal "/dev/urandom") (literal "/dev/tty"))
(allow file-write-data (require-all (literal "/dev/null") (vnode-type CHARACTER-DEVICE)))
`;

const NETWORK = `
; Network access is allowed by the policy.
(allow network-outbound)
(allow network-inbound)
(allow system-socket)
(allow mach-lookup (global-name "com.apple.SystemConfiguration.configd") (global-name "com.apple.dnssd.service") (global-name "com.apple.trustd.agent"))
`;

const NO_NETWORK = `
; Network access is denied by the policy (deny default); local Unix sockets stay usable.
(allow system-socket (socket-domain AF_UNIX))
(allow network-bind network-inbound (local unix-socket))
(allow network-outbound (remote unix-socket))
`;

function paramPrefix(a: Access): string {
  switch (a) {
    case 'read':
      return 'READABLE_ROOT';
    case 'write':
      return 'WRITABLE_ROOT';
    case 'none':
      return 'DENIED_PATH';
    default:
      return assertNever(a, 'access');
  }
}

/**
 * Every rule owns the region "its subtree minus the subtrees of the rules directly below it". Regions
 * are disjoint, so the profile does not depend on SBPL rule-ordering semantics: most specific wins.
 */
export function seatbeltProfile(policy: EffectivePolicy): SeatbeltProfile {
  if (policy.unrestricted) throw new CodexError('INTERNAL', 'danger-full-access runs without Seatbelt; no profile to build');
  const rules = normalizeRules(policy.rules);
  const params: Array<[string, string]> = [];
  const name = new Map<string, string>();
  const counters: Record<Access, number> = { read: 0, write: 0, none: 0 };
  for (const r of rules) {
    const n = `${paramPrefix(r.access)}_${counters[r.access]++}`;
    name.set(r.path, n);
    params.push([n, r.path]);
  }
  const children = new Map<string, FsRule[]>();
  for (const r of rules) {
    const parent = parentRule(rules, r.path);
    if (parent) children.set(parent.path, [...(children.get(parent.path) ?? []), r]);
  }
  const region = (r: FsRule): string => {
    const subtree = `(subpath (param "${name.get(r.path)!}"))`;
    const kids = children.get(r.path) ?? [];
    if (kids.length === 0) return subtree;
    return `(require-all ${subtree}${kids.map((k) => ` (require-not (subpath (param "${name.get(k.path)!}")))`).join('')})`;
  };
  const readable = rules.filter((r) => r.access !== 'none').map(region);
  const writable = rules.filter((r) => r.access === 'write').map(region);
  let text = BASE;
  text += '\n; Filesystem reads: every readable or writable region.\n';
  text += readable.length ? `(allow file-read*\n${readable.map((x) => `  ${x}`).join('\n')})\n` : '; (none)\n';
  text += '\n; Filesystem writes: writable regions (protected paths and carveouts excluded).\n';
  text += writable.length ? `(allow file-write*\n${writable.map((x) => `  ${x}`).join('\n')})\n` : '; (none)\n';
  // Tools stat every ancestor of a path (realpath, getcwd). Where an ancestor of a granted path is
  // itself unreadable, allow only its metadata: no listing, no contents.
  const ancestors: string[] = [];
  for (const r of rules) {
    if (r.access === 'none') continue;
    for (let a = parentDir(r.path); a !== undefined; a = parentDir(a)) {
      if (accessOf(rules, a) === 'none' && !ancestors.includes(a)) ancestors.push(a);
    }
  }
  if (ancestors.length > 0) {
    ancestors.sort();
    const lits = ancestors.map((a, i) => {
      params.push([`ANCESTOR_${i}`, a]);
      return `(literal (param "ANCESTOR_${i}"))`;
    });
    text += `\n; Metadata only for unreadable ancestors of granted paths.\n(allow file-read-metadata\n${lits.map((x) => `  ${x}`).join('\n')})\n`;
  }
  text += policy.network ? NETWORK : NO_NETWORK;
  return { profile: text, params };
}

function parentDir(p: string): string | undefined {
  if (p === '/') return undefined;
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** argv for running `command` under the profile: `/usr/bin/sandbox-exec -p PROFILE -D K=V… -- command…`. */
export function seatbeltArgv(policy: EffectivePolicy, command: readonly string[]): string[] {
  const { profile, params } = seatbeltProfile(policy);
  const argv = [SANDBOX_EXEC, '-p', profile];
  for (const [k, v] of params) argv.push(`-D${k}=${v}`);
  argv.push('--', ...command);
  return argv;
}
