// What the Landlock route would install for a policy (pure). Landlock grants only add up: a
// directory cannot be narrowed below what its parent grants, so a table with a narrower entry under
// a broader one (a read-only `.git` under a writable root, a `none` carve-out) is not expressible
// and must go to bubblewrap instead of silently losing the carve-out.
import type { Access, EffectivePolicy, FsRule } from '../types.js';
import { isStrictlyWithin } from '../policy/index.js';

export const LL = {
  EXECUTE: 1n << 0n,
  WRITE_FILE: 1n << 1n,
  READ_FILE: 1n << 2n,
  READ_DIR: 1n << 3n,
  REMOVE_DIR: 1n << 4n,
  REMOVE_FILE: 1n << 5n,
  MAKE_CHAR: 1n << 6n,
  MAKE_DIR: 1n << 7n,
  MAKE_REG: 1n << 8n,
  MAKE_SOCK: 1n << 9n,
  MAKE_FIFO: 1n << 10n,
  MAKE_BLOCK: 1n << 11n,
  MAKE_SYM: 1n << 12n,
  REFER: 1n << 13n,
  TRUNCATE: 1n << 14n,
} as const;

const V1_ALL = (1n << 13n) - 1n;
const FILE_RIGHTS = LL.EXECUTE | LL.WRITE_FILE | LL.READ_FILE | LL.TRUNCATE;

/** The access rights we handle for a kernel ABI (IOCTL_DEV is left unhandled so terminals keep working). */
export function handledAccess(abi: number): bigint {
  let h = V1_ALL;
  if (abi >= 2) h |= LL.REFER;
  if (abi >= 3) h |= LL.TRUNCATE;
  return h;
}

export type PathKind = 'dir' | 'file' | 'missing';

export interface LandlockGrant {
  path: string;
  access: bigint;
}

/** `scoped`: Landlock scopes (ABI 6+: signals, abstract unix sockets), 0 before. */
export type LandlockPlan = { ok: true; abi: number; handled: bigint; scoped: bigint; grants: LandlockGrant[] } | { ok: false; reason: string };

/** LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL where the kernel has them. */
export function scopesFor(abi: number): bigint {
  return abi >= 6 ? 1n | 2n : 0n;
}

const LEVEL: Record<Access, number> = { none: 0, read: 1, write: 2 };

/** Why Landlock cannot express this table, or undefined when it can. */
export function landlockInexpressible(rules: readonly FsRule[]): string | undefined {
  for (const outer of rules) {
    for (const inner of rules) {
      if (!isStrictlyWithin(outer.path, inner.path)) continue;
      if (LEVEL[inner.access] < LEVEL[outer.access]) {
        return `'${inner.path}' is ${inner.access === 'none' ? 'denied' : 'read-only'} under ${outer.access === 'write' ? 'writable' : 'readable'} '${outer.path}', which Landlock cannot narrow`;
      }
    }
  }
  return undefined;
}

/** Our own files (see spawn.ts `internalPaths`): kept read-only / unreadable on this route too. */
export interface LandlockInternal {
  readOnly: readonly string[];
  hidden: readonly string[];
  /** Names in a directory (to grant around a hidden file). */
  listDir: (p: string) => string[];
}

/** The grants for a policy, or why Landlock cannot enforce it. `abi` < 1 means no Landlock. */
export function planLandlock(policy: Pick<EffectivePolicy, 'rules'>, abi: number, kindOf: (p: string) => PathKind, internal?: LandlockInternal): LandlockPlan {
  if (abi < 1) return { ok: false, reason: 'Landlock is not available in this kernel (landlock_create_ruleset version query failed)' };
  const why = landlockInexpressible(policy.rules);
  if (why) return { ok: false, reason: why };
  const hidden = (internal?.hidden ?? []).filter((h) => kindOf(h) === 'file');
  for (const r of policy.rules.filter((x) => x.access === 'write')) {
    const mine = [...(internal?.readOnly ?? []), ...hidden].find((p) => (p === r.path || isStrictlyWithin(r.path, p) || isStrictlyWithin(p, r.path)) && kindOf(p) !== 'missing');
    if (mine) return { ok: false, reason: `'${mine}' (ours: it must stay read-only) is in writable '${r.path}', which Landlock cannot narrow` };
  }
  const handled = handledAccess(abi);
  const read = LL.EXECUTE | LL.READ_FILE | LL.READ_DIR;
  const grants: LandlockGrant[] = [];
  const grant = (p: string, access: bigint, kind: PathKind) => {
    grants.push({ path: p, access: (kind === 'file' ? access & FILE_RIGHTS : access) & handled });
  };
  // A read grant above a hidden file becomes: list-only on the folders down to it, full read on
  // everything beside that path (Landlock only adds rights, so the file is left out by not
  // granting any ancestor of it the right to read files).
  const grantAround = (p: string, kind: PathKind): void => {
    if (hidden.includes(p)) return;
    if (kind !== 'dir' || !hidden.some((h) => isStrictlyWithin(p, h))) return grant(p, read, kind);
    grant(p, LL.READ_DIR, kind);
    for (const name of internal!.listDir(p)) {
      const child = p === '/' ? `/${name}` : `${p}/${name}`;
      if (policy.rules.some((r) => r.path === child)) continue; // its own rule grants it
      grantAround(child, kindOf(child));
    }
  };
  for (const r of policy.rules) {
    if (r.access === 'none') continue;
    const kind = kindOf(r.path);
    if (kind === 'missing') continue; // cannot be opened; its parent's grant decides whether it can be created
    if (r.access === 'write') grant(r.path, handled, kind);
    else grantAround(r.path, kind);
  }
  if (kindOf('/dev/null') === 'file') grants.push({ path: '/dev/null', access: (LL.READ_FILE | LL.WRITE_FILE | LL.TRUNCATE) & handled });
  return { ok: true, abi, handled, scoped: scopesFor(abi), grants };
}
