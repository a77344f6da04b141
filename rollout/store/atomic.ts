// Replacing a store file without a window where it is missing or half written:
// temp file beside it → fsync → rename over → fsync the directory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fsyncDir, tempBeside, writeDurable } from '../fsutil.js';

export interface AtomicWriteOptions {
  /** Mode and times to give the new file (default: mode 0644, now). */
  like?: fs.Stats;
  /**
   * Called after the temp file is complete and before the rename; returning false abandons the
   * write (the temp file is removed). Used to detect a concurrent append to the target.
   */
  beforeRename?: () => boolean;
}

/** Returns false when `beforeRename` vetoed the replacement. */
export function writeFileAtomic(target: string, data: Buffer | string, opts: AtomicWriteOptions = {}): boolean {
  const tmp = tempBeside(target, 'rollout-manage');
  try {
    writeDurable(tmp, typeof data === 'string' ? Buffer.from(data) : data, opts.like);
    if (opts.beforeRename && !opts.beforeRename()) {
      fs.rmSync(tmp, { force: true });
      return false;
    }
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(path.dirname(target));
  return true;
}
