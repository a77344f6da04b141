// vitest globalSetup: one temp root per test run. Every test process (and every program it starts)
// inherits TMPDIR pointing into it, so os.tmpdir()-based scratch space lands there; teardown
// removes the root, so a run leaves nothing in the system temp dir however its workers end.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let root: string | undefined;
let scratch: string | undefined;

/**
 * The protected names under /tmp and the run's TMPDIR, writable roots of every workspace-write
 * sandbox the tests start. They run sandboxes in parallel, each with a CODEX_TS_CACHE_DIR of its own,
 * and placeholder leases only coordinate sandboxes that share a cache folder (README
 * "Placeholders"): one test's sandbox could remove the /tmp/.agents it made while another's, leased
 * in another cache, was about to bind it ("bwrap: Can't find source path"). Made here for the whole
 * run as plain empty folders, which no sandbox ever removes; those under /tmp are removed again at
 * teardown when still empty.
 */
const PROTECTED_NAMES = ['.git', '.codex', '.agents'];
const madeHere: string[] = [];

/** Folders every process may write (a bwrap or executable found there is not trusted by the sandbox). */
const SHARED_TEMP = ['/tmp', '/var/tmp', '/dev/shm'];

function inSharedTemp(p: string): boolean {
  const real = fs.realpathSync(p);
  return [...SHARED_TEMP, os.tmpdir()].some((t) => {
    const r = fs.existsSync(t) ? fs.realpathSync(t) : t;
    return real === r || real.startsWith(r + '/');
  });
}

export function setup(): void {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-ts-test-run-'));
  // Like /tmp itself: tests run programs as `nobody` that need their own scratch space here.
  fs.chmodSync(root, 0o1777);
  // Scratch space outside every shared temp folder (tests that plant a fake bwrap, or need a
  // CODEX_HOME the real Codex accepts): the checkout's .build-tmp, or ~/.cache when the checkout
  // itself lies in a temp folder (a CI clone may). Removed at teardown too.
  const checkout = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
  const base = inSharedTemp(checkout) ? path.join(os.homedir(), '.cache') : path.join(checkout, '.build-tmp');
  fs.mkdirSync(base, { recursive: true });
  scratch = fs.mkdtempSync(path.join(base, 'codex-ts-test-scratch-'));
  for (const dir of ['/tmp', root]) {
    for (const name of PROTECTED_NAMES) {
      try {
        fs.mkdirSync(path.join(dir, name), { mode: 0o755 });
        madeHere.push(path.join(dir, name));
      } catch {
        /* there already */
      }
    }
  }
  process.env.CODEX_TS_TEST_TMP = root;
  process.env.CODEX_TS_TEST_SCRATCH = scratch;
  process.env.TMPDIR = root;
}

export function teardown(): void {
  for (const p of madeHere.splice(0)) {
    try {
      fs.rmdirSync(p);
    } catch {
      /* not empty: no longer ours to remove */
    }
  }
  for (const d of [root, scratch]) {
    if (!d) continue;
    removeAll(d);
    if (fs.existsSync(d)) throw new Error(`the test run's scratch folder ${d} could not be removed`);
  }
}

function removeAll(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // A test may leave a folder without write or search bits: give them back, then retry once.
    const fix = (p: string) => {
      let st: fs.Stats;
      try {
        st = fs.lstatSync(p);
      } catch {
        return;
      }
      if (!st.isDirectory()) return;
      fs.chmodSync(p, 0o700);
      for (const e of fs.readdirSync(p)) fix(path.join(p, e));
    };
    fix(dir);
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
