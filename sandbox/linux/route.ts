// Which Linux backend enforces a policy (pure). The policy model says whether a policy is
// legacy-equivalent; on top of that Landlock must be able to express the exact table (it cannot
// narrow below a grant, e.g. a read-only `.git` under a writable root) and exist in the kernel.
import { decideRoute, landlockCanEnforce } from '../route.js';
import type { EffectivePolicy } from '../types.js';
import type { FoundBwrap } from './discovery.js';
import { planLandlock, type LandlockPlan, type PathKind } from './landlock-plan.js';

export type RouteChoice = 'auto' | 'landlock' | 'bwrap';

export type LinuxRoute =
  | { kind: 'unsandboxed' }
  | { kind: 'landlock'; plan: Extract<LandlockPlan, { ok: true }>; why: string }
  | { kind: 'bwrap'; bwrap: FoundBwrap; why: string }
  | { kind: 'refuse'; code: 'SANDBOX_WSL1' | 'SANDBOX_BWRAP_MISSING' | 'SANDBOX_UNSUPPORTED'; message: string };

export interface RouteInput {
  policy: EffectivePolicy;
  choice: RouteChoice;
  /** Landlock ABI (negative or 0 when absent); only asked for when the policy could use Landlock. */
  landlockAbi: () => number;
  kindOf: (p: string) => PathKind;
  wsl1: boolean;
  bwrap: FoundBwrap | undefined;
}

export function decideLinuxRoute(input: RouteInput): LinuxRoute {
  const { policy, choice } = input;
  if (policy.unrestricted) return { kind: 'unsandboxed' };
  if (choice === 'landlock') {
    const plan = planLandlock(policy, input.landlockAbi(), input.kindOf);
    if (plan.ok) return { kind: 'landlock', plan, why: 'forced with --route landlock' };
    return { kind: 'refuse', code: 'SANDBOX_UNSUPPORTED', message: `the Landlock route cannot enforce this policy: ${plan.reason}` };
  }
  // The policy model's decision first (WSL1, legacy-equivalence, protected paths), then the exact check.
  const wantLandlock = choice === 'auto' && landlockCanEnforce(policy);
  const d = decideRoute(policy, { os: 'linux', wsl1: input.wsl1, landlockAbi: wantLandlock ? input.landlockAbi() : 0, bwrapAvailable: input.bwrap !== undefined });
  if (!d.ok) return { kind: 'refuse', code: d.code, message: d.reason };
  let why = choice === 'bwrap' ? 'forced with --route bwrap' : d.reason;
  if (d.backend === 'landlock' && wantLandlock) {
    const plan = planLandlock(policy, input.landlockAbi(), input.kindOf);
    if (plan.ok) return { kind: 'landlock', plan, why: d.reason };
    why = `bubblewrap because ${plan.reason}`;
  }
  if (input.wsl1) return { kind: 'refuse', code: 'SANDBOX_WSL1', message: 'WSL1 cannot create the user namespaces bubblewrap needs; use WSL2 or run with -s danger-full-access' };
  if (!input.bwrap) {
    return { kind: 'refuse', code: 'SANDBOX_BWRAP_MISSING', message: 'no bubblewrap found: install `bwrap` (e.g. `apt install bubblewrap`) or put codex-resources/bwrap beside the codex executable' };
  }
  return { kind: 'bwrap', bwrap: input.bwrap, why };
}
