// The SQLite side of the Codex index (codex-index.ts): better-sqlite3 with the addon loaded the way
// every native addon is (a SEA asset, or node_modules in dev). SQLite's own locking and WAL apply:
// we never change the journal mode, and wait up to a few seconds for a writer Codex has open.
import Database from 'better-sqlite3';
import { loadAddon } from '../native/index.js';

export type Db = InstanceType<typeof Database>;

export function openDb(file: string, busyMs: number): Db {
  return new Database(file, { fileMustExist: true, timeout: busyMs, nativeBinding: loadAddon<object>('sqlite') });
}
