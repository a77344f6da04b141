// Process setup shared by the three programs: nothing here reads config or loads a program.
import * as fs from 'node:fs';
import { CodexError, EXIT } from '../protocol/index.js';
// NODE_OPTIONS needs no handling here: the build renames its lookup in the embedded node, so it
// never reaches our runtime (and stays in the environment for the user's own commands).

/**
 * Node decodes argv as UTF-8 and silently turns invalid bytes into U+FFFD: a patch or a command
 * argument would then reach the disk or the sandbox changed. Refuse such arguments instead (the
 * raw bytes are only read when a U+FFFD shows up, so valid input costs nothing).
 */
export function checkArgsAreUtf8(argv: readonly string[], rawCmdline?: Buffer): void {
  if (!argv.some((a) => a.includes('\uFFFD'))) return;
  let raw: Buffer;
  try {
    raw = rawCmdline ?? fs.readFileSync('/proc/self/cmdline');
  } catch {
    return;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parts = raw.toString('latin1').split('\0');
  for (let i = 0; i < parts.length; i++) {
    try {
      decoder.decode(Buffer.from(parts[i]!, 'latin1'));
    } catch {
      throw new CodexError('ARG_NOT_UTF8', `argument ${i} is not valid UTF-8 (arguments must be UTF-8 text; pass bytes through a file or stdin)`, { exitCode: EXIT.USAGE });
    }
  }
}
