import { CodexError, EXIT } from '../../protocol/index.js';

export async function runSandboxHelper(_args: string[]): Promise<number> {
  throw new CodexError('NOT_BUILT_YET', 'the Linux sandbox helper is not built yet', { exitCode: EXIT.USAGE });
}
