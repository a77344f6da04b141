// Which Linux backend enforces a policy (pure). bubblewrap is the route for every sandboxed mode;
// Landlock + seccomp is the fallback where bubblewrap cannot start here (missing, or its namespace
// probe fails), and only for tables Landlock can express exactly. Neither → a refusal, never a
// weaker sandbox and never an unsandboxed run.
import { decideRoute } from '../route.js';
import type { EffectivePolicy } from '../types.js';
import type { FoundBwrap, UsernsProbe } from './discovery.js';
import { planLandlock, type LandlockInternal, type LandlockPlan, type PathKind } from './landlock-plan.js';

export type RouteChoice = 'auto' | 'landlock' | 'bwrap';

export type RefusalCode = 'SANDBOX_WSL1' | 'SANDBOX_BWRAP_MISSING' | 'SANDBOX_UNSUPPORTED';

export type LinuxRoute =
  | { kind: 'unsandboxed' }
  /** `fallback`: why bubblewrap is not used (the core warns with what the fallback cannot enforce). */
  | { kind: 'landlock'; plan: Extract<LandlockPlan, { ok: true }>; why: string; fallback?: string }
  | { kind: 'bwrap'; bwrap: FoundBwrap; why: string }
  | { kind: 'refuse'; code: RefusalCode; message: string };

export interface RouteInput {
  policy: EffectivePolicy;
  choice: RouteChoice;
  /** Landlock ABI (negative or 0 when absent); only asked for when Landlock is considered. */
  landlockAbi: () => number;
  kindOf: (p: string) => PathKind;
  wsl1: boolean;
  bwrap: FoundBwrap | undefined;
  /** Whether that bwrap can create its namespaces here (asked only on the automatic route). */
  probeBwrap: (b: FoundBwrap) => UsernsProbe;
  /** Our own files the Landlock route must keep read-only / hidden too. */
  internal?: LandlockInternal;
  /** Why no bwrap was found (the candidates discovery skipped), when `bwrap` is undefined. */
  noBwrapWhy?: string;
}

export function decideLinuxRoute(input: RouteInput): LinuxRoute {
  const { policy, choice } = input;
  if (policy.unrestricted) return { kind: 'unsandboxed' };
  if (input.wsl1 && choice !== 'landlock') {
    return { kind: 'refuse', code: 'SANDBOX_WSL1', message: 'WSL1 cannot create the user namespaces the Linux sandbox needs; use WSL2 or run with -s danger-full-access' };
  }
  if (choice === 'landlock') {
    const plan = planLandlock(policy, input.landlockAbi(), input.kindOf, input.internal);
    if (plan.ok) return { kind: 'landlock', plan, why: 'forced with --route landlock' };
    return { kind: 'refuse', code: 'SANDBOX_UNSUPPORTED', message: `the Landlock route cannot enforce this policy: ${plan.reason}` };
  }
  if (choice === 'bwrap') {
    if (input.bwrap) return { kind: 'bwrap', bwrap: input.bwrap, why: 'forced with --route bwrap' };
    return { kind: 'refuse', code: 'SANDBOX_BWRAP_MISSING', message: input.noBwrapWhy && input.noBwrapWhy !== 'no bubblewrap found' ? input.noBwrapWhy : NO_BWRAP };
  }
  const probe = input.bwrap ? input.probeBwrap(input.bwrap) : undefined;
  const usable = probe?.ok === true;
  const d = decideRoute(policy, { os: 'linux', wsl1: input.wsl1, bwrapAvailable: usable, landlockAbi: usable ? 0 : input.landlockAbi() });
  const bwrapWhy = !input.bwrap ? (input.noBwrapWhy ?? 'no bubblewrap found') : `bubblewrap cannot create its namespaces here (step: ${probe?.step}; ${probe?.detail})`;
  if (!d.ok) {
    if (d.code !== 'SANDBOX_BWRAP_MISSING') return { kind: 'refuse', code: d.code, message: d.reason };
    const plan = planLandlock(policy, input.landlockAbi(), input.kindOf, input.internal);
    const llWhy = plan.ok ? 'it is not legacy-equivalent' : plan.reason;
    return {
      kind: 'refuse',
      code: input.bwrap ? 'SANDBOX_UNSUPPORTED' : 'SANDBOX_BWRAP_MISSING',
      message: `${bwrapWhy}, and the Landlock fallback cannot enforce this policy (${llWhy}); ${input.bwrap ? 'fix bubblewrap (see the warning)' : 'install bubblewrap (`apt install bubblewrap`)'} or run with -s danger-full-access`,
    };
  }
  if (d.backend === 'bwrap' && input.bwrap) return { kind: 'bwrap', bwrap: input.bwrap, why: d.reason };
  const plan = planLandlock(policy, input.landlockAbi(), input.kindOf, input.internal);
  if (plan.ok) return { kind: 'landlock', plan, why: `${bwrapWhy}: Landlock + seccomp fallback`, fallback: bwrapWhy };
  return { kind: 'refuse', code: 'SANDBOX_UNSUPPORTED', message: `${bwrapWhy}, and the Landlock fallback cannot enforce this policy (${plan.reason})` };
}

const NO_BWRAP = 'no bubblewrap found: install `bwrap` (e.g. `apt install bubblewrap`) or put codex-resources/bwrap beside the codex executable';
