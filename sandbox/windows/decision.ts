// Windows: which backend can enforce a policy exactly, as a pure function of (policy, elevated?).
// Anything neither backend can enforce fails closed: we refuse rather than run weaker. Verified by
// table tests over policies written with Windows paths, not by running on Windows.
import type { EffectivePolicy, FsRule } from '../types.js';
import { isWindowsInternal, isWithin, policyShape, windowsToInternal } from '../policy/index.js';

export type WindowsBackend = 'elevated' | 'restricted-token';

/** What the chosen backend would enforce, in the internal form (see windows-paths.ts). */
export interface WindowsRoots {
  /** Full read (`:root` = read): every drive readable. */
  fullRead: boolean;
  readRoots: string[];
  writeRoots: string[];
  /** Read-only carveouts under writable roots: deny-write entries (protected names included). */
  readOnlyCarveouts: string[];
}

export type WindowsDecision =
  | { ok: true; backend: 'none'; mode: 'unsandboxed'; reason: string }
  | {
      ok: true;
      backend: WindowsBackend;
      mode: 'legacy' | 'split';
      /** The backend adds C:\Windows, C:\Program Files, … as read roots (`:minimal` asked for them). */
      systemReadRoots: boolean;
      roots: WindowsRoots;
      reason: string;
    }
  | { ok: false; code: 'SANDBOX_UNSUPPORTED'; reason: string };

export interface WindowsFacts {
  elevated: boolean;
  /** %TEMP% in internal form: part of the legacy workspace-write root set unless excluded. */
  tempDir?: string;
}

const REFUSE = (reason: string): WindowsDecision => ({ ok: false, code: 'SANDBOX_UNSUPPORTED', reason: `${reason}; refusing to run with weaker enforcement` });

/** Names kept read-only under every writable root, whether or not they exist yet. */
export const WINDOWS_PROTECTED_NAMES = ['.git', '.codex', '.agents'] as const;

/**
 * Rules in the internal form. Hand-built policies may carry `C:\…` paths or mixed separators; those
 * are mapped here so the nesting checks below compare like with like. Anything that is neither a
 * Windows path nor an absolute `/` path cannot be reasoned about: undefined (the caller refuses).
 */
function normalizedRules(rules: readonly FsRule[]): FsRule[] | undefined {
  const out: FsRule[] = [];
  for (const r of rules) {
    let p: string;
    try {
      p = r.path === '/' ? '/' : isWindowsInternal(r.path) ? windowsToInternal(r.path) : r.path.startsWith('/') && !r.path.includes('\\') ? r.path : windowsToInternal(r.path);
    } catch {
      return undefined;
    }
    out.push({ path: p, access: r.access });
  }
  return out;
}

function normalizedCwd(cwd: string): string | undefined {
  try {
    return cwd.startsWith('/') && !cwd.includes('\\') && !isWindowsInternal(cwd) ? cwd : windowsToInternal(cwd);
  } catch {
    return undefined;
  }
}

/**
 * The Windows backend for `policy` (restricted token or elevated sandbox user) or why none fits; pure, so it is tested here without Windows.
 *
 * @example
 *   decideWindows(policy, { elevated: false }); // { ok: true, backend, mode, reason } or { ok: false, … }
 */
export function decideWindows(policy: EffectivePolicy, facts: WindowsFacts | boolean): WindowsDecision {
  const f: WindowsFacts = typeof facts === 'boolean' ? { elevated: facts } : facts;
  if (policy.unrestricted) return { ok: true, backend: 'none', mode: 'unsandboxed', reason: 'danger-full-access runs without a sandbox' };
  const rules = normalizedRules(policy.rules);
  const cwd = normalizedCwd(policy.cwd);
  if (!rules || !cwd) return REFUSE('the policy names a path that is not an absolute Windows path');
  const s = policyShape(rules);
  const backend: WindowsBackend = f.elevated ? 'elevated' : 'restricted-token';
  if (rules.some((r) => r.path === '/' && r.access === 'write')) {
    return REFUSE('the policy grants write access to the whole disk (`:root` = write), which no Windows sandbox backend can enforce; use -s danger-full-access to run without a sandbox');
  }
  if (s.hasNone || (policy.detail?.denyGlobs.length ?? 0) > 0) {
    return REFUSE('the policy has `none` (unreadable) carveouts, which no Windows sandbox backend enforces');
  }
  if (s.hasWriteReopenedUnderReadCarveout) {
    return REFUSE('the policy reopens a writable path under a read-only carveout, which no Windows sandbox backend enforces');
  }
  const writeRoots = rules.filter((r) => r.access === 'write').map((r) => r.path);
  const protectedNames = writeRoots.flatMap((w) => WINDOWS_PROTECTED_NAMES.map((n) => (w === '/' ? `/${n}` : `${w}/${n}`)));
  const carveouts = rules.filter((r) => r.access === 'read' && writeRoots.some((w) => w !== r.path && isWithin(w, r.path))).map((r) => r.path);
  const roots: WindowsRoots = {
    fullRead: s.fullRead,
    readRoots: s.fullRead ? ['/'] : rules.filter((r) => r.access === 'read' && !carveouts.includes(r.path)).map((r) => r.path),
    writeRoots,
    readOnlyCarveouts: [...new Set([...carveouts, ...protectedNames])].sort(),
  };
  const systemReadRoots = !s.fullRead && (policy.detail?.minimalReadRoots.length ?? 0) > 0;
  if (policy.legacyEquivalent && s.fullRead) {
    return { ok: true, backend, mode: 'legacy', systemReadRoots: false, roots, reason: 'the policy round-trips through the legacy sandbox model' };
  }
  if (f.elevated) {
    return { ok: true, backend, mode: 'split', systemReadRoots, roots, reason: 'the elevated backend enforces exact read roots, write roots and read-only carveouts' };
  }
  if (!s.fullRead) {
    return REFUSE('exact readable roots need the elevated Windows sandbox; the unelevated restricted-token backend only supports full-read policies');
  }
  // The restricted token can only grant the legacy workspace-write root set: the workspace roots
  // (all of them) plus, optionally, %TEMP%. Any other writable root needs the elevated backend.
  const workspace = (policy.detail?.workspaceRoots ?? [policy.cwd]).map(normalizedCwd);
  if (workspace.some((w) => w === undefined)) return REFUSE('the policy names a workspace root that is not an absolute Windows path');
  const legacySet = new Set<string>([cwd, ...(workspace as string[])]);
  const temp = f.tempDir !== undefined ? normalizedCwd(f.tempDir) : undefined;
  const missing = [...legacySet].filter((w) => !writeRoots.includes(w));
  const extra = writeRoots.filter((w) => !legacySet.has(w) && w !== temp);
  if (missing.length > 0 || extra.length > 0) {
    return REFUSE(
      `the unelevated restricted-token backend only grants the legacy workspace-write roots (the workspace roots${temp ? ' and %TEMP%' : ''}); this policy's writable roots differ, so it needs the elevated Windows sandbox`,
    );
  }
  return { ok: true, backend, mode: 'split', systemReadRoots: false, roots, reason: 'full-read policy with the legacy writable roots plus read-only carveouts under them' };
}
