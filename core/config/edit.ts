// Edits of config.toml that keep the user's comments and layout (toml-patch diffs the data and
// rewrites only what changed), written atomically.
import { parse as parsePatchable, patch } from '@decimalturn/toml-patch';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodexError, errText, writeFileAtomic } from '../../protocol/index.js';
import { readConfigFile } from './load.js';
import { isTable } from './overrides.js';
import type { ConfigTable } from './types.js';

/** Apply `mutate` to the parsed document and write the result back (no write when nothing changed). */
export function editConfigFile(configPath: string, mutate: (doc: ConfigTable) => void): { changed: boolean; text: string } {
  const { text } = readConfigFile(configPath); // validates with the same parser as loading
  let doc: ConfigTable;
  try {
    doc = parsePatchable(text) as ConfigTable;
  } catch (e) {
    throw new CodexError('CONFIG_PARSE', `${configPath}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  const before = JSON.stringify(doc, jsonSafe);
  mutate(doc);
  if (JSON.stringify(doc, jsonSafe) === before) return { changed: false, text };
  let next = patch(text, doc);
  if (next !== '' && !next.endsWith('\n')) next += '\n';
  writeConfig(configPath, next);
  return { changed: true, text: next };
}

/** Replace config.toml atomically, keeping its mode (0600 for a new one, as it may hold secrets). */
function writeConfig(file: string, text: string): void {
  try {
    const mode = fs.statSync(file, { throwIfNoEntry: false })?.mode ?? 0o600;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, text, { mode: mode & 0o777, tag: 'codex-config' });
  } catch (e) {
    throw new CodexError('CONFIG_WRITE', `cannot write ${file}: ${errText(e)}`, { cause: e });
  }
}

/** `[features] name = value`, or remove the key when `value` is undefined. */
export function setFeatureInConfig(configPath: string, name: string, value: boolean | undefined): { changed: boolean } {
  return editConfigFile(configPath, (doc) => {
    const f = doc.features;
    if (value === undefined) {
      if (isTable(f)) delete f[name];
      return;
    }
    if (isTable(f)) f[name] = value;
    else doc.features = { [name]: value };
  });
}

function jsonSafe(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() + 'n' : v;
}
