// vitest globalSetup: one temp root per test run. Every test process (and every program it starts)
// inherits TMPDIR pointing into it, so os.tmpdir()-based scratch space lands there; teardown
// removes the root, so a run leaves nothing in the system temp dir however its workers end.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

let root: string | undefined;

export function setup(): void {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-ts-test-run-'));
  // Like /tmp itself: tests run programs as `nobody` that need their own scratch space here.
  fs.chmodSync(root, 0o1777);
  process.env.CODEX_TS_TEST_TMP = root;
  process.env.TMPDIR = root;
}

export function teardown(): void {
  if (!root) return;
  removeAll(root);
  if (fs.existsSync(root)) throw new Error(`the test run's temp root ${root} could not be removed`);
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
