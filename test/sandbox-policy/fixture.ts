// Temp trees for policy tests: repos with a .git dir, worktrees with a .git pointer file, symlinks.
import * as fs from 'node:fs';
import * as path from 'node:path';

// Outside /tmp on purpose: workspace-write makes /tmp writable, which would hide what a policy denies.
// A fixed base also keeps the golden Seatbelt profiles stable (they list ancestors of the tree).
const BASE = ((): string => {
  try {
    fs.mkdirSync('/var/tmp', { recursive: true });
    return fs.realpathSync('/var/tmp');
  } catch {
    return fs.realpathSync(process.cwd());
  }
})();
const made: string[] = [];
process.on('exit', () => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(BASE, prefix));
  made.push(d);
  return d;
}

export interface Tree {
  root: string;
  p: (...parts: string[]) => string;
}

/** A canonical temp root with the given files ('x/' = directory, 'a -> b' = symlink, else file). */
export function tree(spec: Record<string, string> = {}): Tree {
  const root = fs.realpathSync(tempDir('codex-ts-policy-'));
  for (const [rel, content] of Object.entries(spec)) {
    const p = path.join(root, rel);
    if (rel.endsWith('/')) {
      fs.mkdirSync(p, { recursive: true });
    } else if (content.startsWith('-> ')) {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.symlinkSync(content.slice(3), p);
    } else {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
    }
  }
  return { root, p: (...parts) => path.join(root, ...parts) };
}

/** env for resolvePolicy without a TMPDIR (keeps tables small and deterministic). */
export function envFor(t: Tree, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { HOME: t.p('home'), ...extra };
}
