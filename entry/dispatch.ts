import * as path from 'node:path';

export type Program = 'sandbox-helper' | 'apply-patch' | 'codex';

export const APPLY_PATCH_ARG1 = '--codex-run-as-apply-patch';
export const SANDBOX_ARG0 = 'codex-linux-sandbox';

/** The dispatch table of the architecture spec, checked in order. `args` are the user args. */
export function chooseProgram(argv0: string, args: readonly string[]): { program: Program; args: string[] } {
  const name = path.basename(argv0);
  if (name === SANDBOX_ARG0) return { program: 'sandbox-helper', args: [...args] };
  if (name === 'apply_patch' || name === 'applypatch') return { program: 'apply-patch', args: [...args] };
  if (args[0] === APPLY_PATCH_ARG1) return { program: 'apply-patch', args: args.slice(1) };
  return { program: 'codex', args: [...args] };
}

export type BundleName = 'codex' | 'applyPatch' | 'sandbox';

/**
 * Which embedded bundle starts a program: apply_patch and the sandbox (`codex sandbox …`, the helper)
 * have small ones of their own; everything else, `codex -c k=v sandbox …` included, the main one.
 */
export function bundleFor(program: Program, args: readonly string[]): BundleName {
  if (program === 'apply-patch') return 'applyPatch';
  if (program === 'sandbox-helper' || args[0] === 'sandbox') return 'sandbox';
  return 'codex';
}
