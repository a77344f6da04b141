// The I/O around the pure parts: the storage report of a store, and the write-access preflight of
// the commands that change it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodexError } from '../../protocol/index.js';
import { threadLockDir, type LockOptions } from '../locks.js';
import { ARCHIVED_DIR, SESSIONS_DIR, STORE_TMP_DIR } from '../paths.js';
import { estimateCompression } from './estimate.js';
import { buildStorageReport, type StorageReport } from './storage.js';
import { walkStore } from '../store/index.js';

export async function storageReport(home: string): Promise<{ report: StorageReport; problems: { path: string; message: string }[] }> {
  const { files, problems } = walkStore(home);
  const estimate = await estimateCompression(files);
  return { report: buildStorageReport(home, files, estimate), problems };
}

/** ROLLOUT_STORE_UNWRITABLE unless the store's directories that exist can be written. */
export function assertStoreWritable(home: string, what: string, lock: LockOptions = {}): void {
  const dirs = [home, path.join(home, SESSIONS_DIR), path.join(home, ARCHIVED_DIR), path.join(home, STORE_TMP_DIR), threadLockDir(home, lock)];
  for (const d of dirs) {
    try {
      fs.accessSync(d, fs.constants.W_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue; // nothing there to change
      throw new CodexError('ROLLOUT_STORE_UNWRITABLE', `${what} needs write access to ${d} (${code ?? 'denied'})`);
    }
  }
}

/** Map a permission error met while changing the store to ROLLOUT_STORE_UNWRITABLE. */
export function storeWriteError(e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new CodexError('ROLLOUT_STORE_UNWRITABLE', `cannot change the session store: ${(e as Error).message}`, { cause: e });
  }
  return e;
}
