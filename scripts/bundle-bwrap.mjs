#!/usr/bin/env node
// The bubblewrap bundled beside the executable (dist/codex-resources/bwrap), which the sandbox uses
// when the machine has no system bwrap. Taken from, in order: the system bwrap; the copy an earlier
// build bundled; the distribution's package, fetched without root (Debian/Ubuntu: `apt-get
// download bubblewrap`, then `dpkg-deb -x`; apt checks the package against the signed archive).
// Where none works, it says exactly what to install and the build goes on.
// Run by scripts/build.mjs; alone: `node scripts/bundle-bwrap.mjs DEST_DIR [WORK_DIR]`.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const say = (m) => process.stderr.write(`build: ${m}\n`);

export const INSTALL_HINT =
  'install bubblewrap (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora/RHEL: `sudo dnf install bubblewrap`; Arch: `sudo pacman -S bubblewrap`; Alpine: `sudo apk add bubblewrap`; openSUSE: `sudo zypper install bubblewrap`), then run `npm run build` again';

/** `bwrap --version` works (the binary runs here: right architecture, its libraries present). */
function runs(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 && /^bubblewrap /.test(r.stdout) ? r.stdout.trim() : undefined;
}

/** The first regular, executable bwrap on PATH (absolute entries only); the tests find it the same way. */
export function systemBwrap() {
  for (const d of (process.env.PATH ?? '').split(':')) {
    if (!path.isAbsolute(d)) continue;
    const cand = path.join(d, 'bwrap');
    try {
      if (!fs.statSync(cand).isFile()) continue;
      fs.accessSync(cand, fs.constants.X_OK);
    } catch {
      continue;
    }
    return cand;
  }
  return undefined;
}

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** usr/bin/bwrap from the distribution's package, or { error } saying why not. */
function fromDistribution(work) {
  if (!have('apt-get') || !have('dpkg-deb')) return { error: 'no apt-get/dpkg-deb here (not Debian or Ubuntu)' };
  const dir = fs.mkdtempSync(path.join(work, 'bwrap-deb-'));
  const lists = path.join(dir, 'lists');
  const cache = path.join(dir, 'cache');
  for (const d of [path.join(lists, 'partial'), path.join(cache, 'archives', 'partial')]) fs.mkdirSync(d, { recursive: true });
  // A private package index when the system's is missing (containers often delete it) or stale;
  // no lock, no root needed.
  const own = ['-o', `Dir::State::Lists=${lists}`, '-o', `Dir::Cache=${cache}`, '-o', 'Debug::NoLocking=1'];
  const apt = (args, timeout) => spawnSync('apt-get', ['-q', ...args], { cwd: dir, encoding: 'utf8', timeout });
  let got = apt(['download', 'bubblewrap'], 120_000);
  if (got.status !== 0) {
    say('fetching the package index of this distribution into a private folder (no root needed)');
    const upd = apt([...own, 'update'], 300_000);
    if (upd.status !== 0) return { error: `apt-get update failed: ${lastLine(upd)}` };
    got = apt([...own, 'download', 'bubblewrap'], 120_000);
  }
  if (got.status !== 0) return { error: `apt-get download bubblewrap failed: ${lastLine(got)}` };
  const deb = fs.readdirSync(dir).find((f) => /^bubblewrap_.*\.deb$/.test(f));
  if (!deb) return { error: 'apt-get download left no bubblewrap .deb' };
  const tree = path.join(dir, 'tree');
  const x = spawnSync('dpkg-deb', ['-x', path.join(dir, deb), tree], { encoding: 'utf8' });
  if (x.status !== 0) return { error: `dpkg-deb -x ${deb} failed: ${lastLine(x)}` };
  const bin = path.join(tree, 'usr', 'bin', 'bwrap');
  if (!fs.existsSync(bin)) return { error: `${deb} holds no usr/bin/bwrap` };
  if (!runs(bin)) return { error: `the bwrap from ${deb} does not run here (\`bwrap --version\` failed)` };
  return { bin, from: deb };
}

function lastLine(r) {
  const text = `${r.stderr ?? ''}\n${r.stdout ?? ''}`.trim() || r.error?.message || `exit ${r.status}`;
  return text.split('\n').filter((l) => l.trim()).pop();
}

/** Copy with a rename at the end: a concurrent sandbox start never sees half a file. */
function install(src, dest) {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  fs.copyFileSync(src, tmp);
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, dest);
}

/** Fills destDir/bwrap; returns where it came from, or undefined (after saying what to install). */
export function bundleBwrap(destDir, work = os.tmpdir()) {
  const dest = path.join(destDir, 'bwrap');
  const sys = systemBwrap();
  if (sys && runs(sys)) {
    install(sys, dest);
    return `system ${sys}`;
  }
  const kept = runs(dest);
  if (kept) {
    say(`no system bwrap on PATH: keeping ${dest} from an earlier build (${kept})`);
    return 'earlier build';
  }
  say('no system bwrap on PATH: fetching the bubblewrap package of this distribution to bundle it');
  fs.mkdirSync(work, { recursive: true });
  const got = fromDistribution(work);
  if (got.bin) {
    install(got.bin, dest);
    say(`bundled bwrap from ${got.from} as ${dest}`);
    return `package ${got.from}`;
  }
  say(`warning: no bubblewrap could be bundled (${got.error}); sandboxed commands will not run on a machine without one: ${INSTALL_HINT}`);
  return undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [destDir, work] = process.argv.slice(2);
  if (!destDir) {
    process.stderr.write('usage: node scripts/bundle-bwrap.mjs DEST_DIR [WORK_DIR]\n');
    process.exit(2);
  }
  const w = work ?? fs.mkdtempSync(path.join(os.tmpdir(), 'codex-ts-bwrap-'));
  try {
    const from = bundleBwrap(destDir, w);
    if (from) say(`ok: ${path.join(destDir, 'bwrap')} (${from})`);
  } finally {
    if (!work) fs.rmSync(w, { recursive: true, force: true });
  }
}
