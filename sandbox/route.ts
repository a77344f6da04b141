// Which backend enforces a policy on this machine: a pure function of the policy and platform facts.
// Rule: a backend is chosen only if it can enforce the table exactly; otherwise the next one, and if
// none can, a refusal with the reason — never a weaker sandbox.
import { assertNever, CodexError, EXIT } from '../protocol/index.js';
import type { EffectivePolicy } from './types.js';
import { policyShape, type OsKind } from './policy/index.js';
import { decideWindows, type WindowsRoots } from './windows/index.js';

export interface PlatformFacts {
  os: OsKind;
  /** Linux: WSL1 (kernel release mentions Microsoft, not WSL2). */
  wsl1?: boolean;
  /** Linux: Landlock ABI version from landlock_create_ruleset(VERSION); 0 or undefined = unavailable. */
  landlockAbi?: number;
  /** Linux: a bubblewrap (system or bundled) that can create its namespaces here. */
  bwrapAvailable?: boolean;
  /** Windows: running elevated (the elevated sandbox backend is available). */
  elevated?: boolean;
  /** Windows: %TEMP% (either syntax); one of the legacy workspace-write roots. */
  windowsTempDir?: string;
}

export type Backend = 'none' | 'seatbelt' | 'landlock' | 'bwrap' | 'windows-elevated' | 'windows-restricted-token';

export type RouteDecision =
  | {
      ok: true;
      backend: Backend;
      /** unsandboxed: danger-full-access; legacy: through the legacy model; split: direct per-path enforcement. */
      mode: 'unsandboxed' | 'legacy' | 'split';
      /** Seccomp (Landlock route) or a network namespace (bwrap) blocks the network. */
      network: boolean;
      /** Windows elevated: add the platform system read roots. */
      systemReadRoots?: boolean;
      /** Linux: the weaker Landlock + seccomp fallback (bubblewrap cannot run here). */
      fallback?: boolean;
      /** Windows: the roots the backend would enforce. */
      windowsRoots?: WindowsRoots;
      reason: string;
    }
  | { ok: false; code: 'SANDBOX_WSL1' | 'SANDBOX_UNSUPPORTED' | 'SANDBOX_BWRAP_MISSING'; reason: string };

/**
 * Landlock is allow-only and inherits rights down the tree: it can express full read + writable roots,
 * but not a read-only or unreadable path under a writable root (0.169 silently drops `.git` protection
 * there; we route to bubblewrap instead) nor `none` anywhere.
 */
export function landlockCanEnforce(policy: EffectivePolicy): boolean {
  const s = policyShape(policy.rules);
  return policy.legacyEquivalent && s.fullRead && !s.hasNone && !s.hasCarveoutUnderWrite;
}

/**
 * Which backend enforces `policy` on this platform (bwrap, Landlock, Seatbelt, Windows, none) or why none can; pure, the facts are probed by the caller.
 *
 * @example
 *   const d = decideRoute(policy, { os: 'linux', bwrapAvailable: true, landlockAbi: 0 });
 *   if (!d.ok) console.error(`${d.reason} [${d.code}]`);
 */
export function decideRoute(policy: EffectivePolicy, facts: PlatformFacts): RouteDecision {
  const network = policy.network;
  if (policy.unrestricted) return { ok: true, backend: 'none', mode: 'unsandboxed', network: true, reason: 'danger-full-access runs without a sandbox' };
  const mode = policy.legacyEquivalent ? 'legacy' : 'split';
  switch (facts.os) {
    case 'macos':
      return {
        ok: true,
        backend: 'seatbelt',
        mode,
        network,
        reason: policy.legacyEquivalent ? 'Seatbelt enforces the legacy policy' : 'the Seatbelt profile encodes the exact roots and carveouts',
      };
    case 'linux': {
      if (facts.wsl1) {
        return { ok: false, code: 'SANDBOX_WSL1', reason: 'WSL1 cannot create the user namespaces the Linux sandbox needs; use WSL2 or run without a sandbox (-s danger-full-access)' };
      }
      // bubblewrap first, for every mode: namespaces (user, pid, ipc, net), read-only binds that
      // refuse metadata writes too, no capabilities. Landlock + seccomp only where bwrap cannot start.
      if (facts.bwrapAvailable) {
        return { ok: true, backend: 'bwrap', mode, network, reason: 'bubblewrap: user, pid, ipc (and, with the network off, net) namespaces, read-only binds, no capabilities, seccomp' };
      }
      const abi = facts.landlockAbi ?? 0;
      if (landlockCanEnforce(policy) && abi >= 1) {
        return { ok: true, backend: 'landlock', mode: 'legacy', network, fallback: true, reason: 'no usable bubblewrap: Landlock + seccomp fallback' };
      }
      const why = !landlockCanEnforce(policy)
        ? !policy.legacyEquivalent
          ? 'the policy needs per-path enforcement'
          : 'Landlock cannot keep protected paths (.git, .codex, .agents) read-only under a writable root'
        : 'Landlock is not available in this kernel';
      return { ok: false, code: 'SANDBOX_BWRAP_MISSING', reason: `no usable bubblewrap, and the Landlock fallback cannot take this policy (${why}); install bubblewrap (bwrap) or run without a sandbox (-s danger-full-access)` };
    }
    case 'windows': {
      const d = decideWindows(policy, { elevated: facts.elevated ?? false, ...(facts.windowsTempDir !== undefined ? { tempDir: facts.windowsTempDir } : {}) });
      if (!d.ok) return d;
      if (d.backend === 'none') return { ok: true, backend: 'none', mode: 'unsandboxed', network: true, reason: d.reason };
      return {
        ok: true,
        backend: d.backend === 'elevated' ? 'windows-elevated' : 'windows-restricted-token',
        mode: d.mode,
        network,
        systemReadRoots: d.systemReadRoots,
        windowsRoots: d.roots,
        reason: d.reason,
      };
    }
    default:
      return assertNever(facts.os, 'platform');
  }
}

/**
 * The decision as something to run, or the CodexError to report (exit 125, one clear line).
 *
 * @example
 *   const backend = requireRoute(decideRoute(policy, facts)); // throws CodexError when refused
 */
export function requireRoute(policy: EffectivePolicy, facts: PlatformFacts): Extract<RouteDecision, { ok: true }> {
  const d = decideRoute(policy, facts);
  if (!d.ok) throw new CodexError(d.code, `sandbox: ${d.reason}`, { exitCode: EXIT.SANDBOX_SETUP });
  return d;
}
