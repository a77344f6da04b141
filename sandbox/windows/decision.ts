// Windows: which backend can enforce a policy exactly, as a pure function of (policy, elevated?).
// Anything neither backend can enforce fails closed: we refuse rather than run weaker.
import type { EffectivePolicy } from '../types.js';
import { policyShape } from '../policy/shape.js';

export type WindowsBackend = 'elevated' | 'restricted-token';

export type WindowsDecision =
  | { ok: true; backend: 'none'; mode: 'unsandboxed'; reason: string }
  | {
      ok: true;
      backend: WindowsBackend;
      mode: 'legacy' | 'split';
      /** The backend adds C:\Windows, C:\Program Files, … as read roots (`:minimal` asked for them). */
      systemReadRoots: boolean;
      reason: string;
    }
  | { ok: false; code: 'SANDBOX_UNSUPPORTED'; reason: string };

export function decideWindows(policy: EffectivePolicy, elevated: boolean): WindowsDecision {
  if (policy.unrestricted) return { ok: true, backend: 'none', mode: 'unsandboxed', reason: 'danger-full-access runs without a sandbox' };
  const s = policyShape(policy.rules);
  const systemReadRoots = (policy.detail?.minimalReadRoots.length ?? 0) > 0;
  const backend: WindowsBackend = elevated ? 'elevated' : 'restricted-token';
  if (s.hasNone || (policy.detail?.denyGlobs.length ?? 0) > 0) {
    return { ok: false, code: 'SANDBOX_UNSUPPORTED', reason: 'the policy has `none` (unreadable) carveouts, which no Windows sandbox backend enforces; refusing to run with weaker enforcement' };
  }
  if (s.hasWriteReopenedUnderReadCarveout) {
    return { ok: false, code: 'SANDBOX_UNSUPPORTED', reason: 'the policy reopens a writable path under a read-only carveout, which no Windows sandbox backend enforces; refusing to run with weaker enforcement' };
  }
  if (policy.legacyEquivalent && s.fullRead) {
    return { ok: true, backend, mode: 'legacy', systemReadRoots: false, reason: 'the policy round-trips through the legacy sandbox model' };
  }
  if (elevated) {
    return { ok: true, backend, mode: 'split', systemReadRoots, reason: 'the elevated backend enforces exact read roots, write roots and read-only carveouts' };
  }
  if (!s.fullRead) {
    return { ok: false, code: 'SANDBOX_UNSUPPORTED', reason: 'exact readable roots need the elevated Windows sandbox; the unelevated restricted-token backend only supports full-read policies' };
  }
  if (!policy.rules.some((r) => r.access === 'write' && r.path === policy.cwd)) {
    return { ok: false, code: 'SANDBOX_UNSUPPORTED', reason: 'the unelevated restricted-token backend needs the legacy workspace-write root set (cwd writable); this policy needs the elevated Windows sandbox' };
  }
  return { ok: true, backend, mode: 'split', systemReadRoots: false, reason: 'full-read policy with the legacy writable roots plus read-only carveouts under them' };
}
