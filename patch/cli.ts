import { CodexError, EXIT } from '../protocol/index.js';

export async function runApplyPatchCli(_args: string[]): Promise<number> {
  throw new CodexError('NOT_BUILT_YET', 'apply_patch is not built yet', { exitCode: EXIT.USAGE });
}
