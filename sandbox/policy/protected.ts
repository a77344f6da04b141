// Paths that stay read-only under every writable root: `.git` (directory, or pointer file plus the
// `gitdir:` target it names), `.codex`, `.agents` (and `.aws` for the built-in workspace modes, as
// Codex 0.169 does). A missing `.git`, `.codex` or `.agents` is protected too: a command that could
// create `.git/config` (core.fsmonitor, hooks) or `.codex/config.toml` plants code the user's own
// tools run outside the sandbox. (An empty `.git` directory is skipped by git's discovery, so the
// Linux route's placeholder for it changes nothing for git.) A root that does not exist has none.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProtectedKind } from '../types.js';
import { canonicalPath } from './paths.js';

export interface ProtectedCandidate {
  path: string;
  kind: ProtectedKind;
  exists: boolean;
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

/** The `gitdir:` target named by a `.git` pointer file, resolved against the root; undefined if unreadable. */
export function readGitdirPointer(gitFile: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(gitFile, 'utf8');
  } catch {
    return undefined;
  }
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
  if (!m) return undefined;
  return path.posix.resolve(path.posix.dirname(gitFile), m[1]!);
}

export function protectedUnder(root: string, opts: { aws: boolean }): ProtectedCandidate[] {
  const out: ProtectedCandidate[] = [];
  if (!lstatOrUndefined(root)?.isDirectory()) return out;
  const git = path.posix.join(root, '.git');
  const st = lstatOrUndefined(git);
  if (!st) {
    out.push({ path: git, kind: 'git-dir', exists: false });
  } else {
    const real = canonicalPath(git);
    const realSt = lstatOrUndefined(real);
    if (realSt?.isFile()) {
      out.push({ path: git, kind: 'git-file', exists: true });
      const target = readGitdirPointer(real);
      if (target !== undefined) {
        const t = canonicalPath(target);
        out.push({ path: t, kind: 'gitdir-target', exists: lstatOrUndefined(t) !== undefined });
      }
    } else {
      // A directory, or a symlink to one: protect both the name and where it really lives.
      out.push({ path: git, kind: 'git-dir', exists: true });
      if (real !== git) out.push({ path: real, kind: 'git-dir', exists: realSt !== undefined });
    }
  }
  const named = (name: string, kind: ProtectedKind, evenIfMissing: boolean): void => {
    const p = path.posix.join(root, name);
    const exists = lstatOrUndefined(p) !== undefined;
    if (!exists && !evenIfMissing) return;
    out.push({ path: p, kind, exists });
    const real = exists ? canonicalPath(p) : p;
    if (real !== p) out.push({ path: real, kind, exists: lstatOrUndefined(real) !== undefined });
  };
  named('.codex', 'codex', true);
  named('.agents', 'agents', true);
  if (opts.aws) named('.aws', 'aws', false);
  return out;
}
