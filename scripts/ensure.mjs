// Shared by start/test/bench: install dependencies and (re)build dist/codex only when needed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['entry', 'core', 'sandbox', 'rollout', 'patch', 'protocol', 'native'];

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`${path.basename(process.argv[1])}: '${cmd} ${args.join(' ')}' failed (exit ${r.status})\n`);
    process.exit(r.status || 1);
  }
}

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

export function ensureDeps() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(marker) || newestMtime(path.join(root, 'package-lock.json')) > newestMtime(marker)) {
    sh('npm', ['ci', '--no-audit', '--no-fund']);
  }
}

export function ensureBuild() {
  const bin = path.join(root, 'dist', 'codex');
  const built = newestMtime(bin);
  const inputs = Math.max(...SOURCE_DIRS.map((d) => newestMtime(path.join(root, d))), newestMtime(path.join(root, 'scripts', 'build.mjs')), newestMtime(path.join(root, 'scripts', 'bundle-bwrap.mjs')), newestMtime(path.join(root, 'package-lock.json')));
  if (!built || inputs > built) sh(process.execPath, [path.join(root, 'scripts', 'build.mjs')]);
}
