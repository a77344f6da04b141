// The run's temp root (test/setup/temp-root.ts): every test process and every program it starts
// writes its scratch files under one folder that the global teardown removes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codex, tempDir } from '../helpers/bin.js';

const root = process.env.CODEX_TS_TEST_TMP;

describe('one temp root per test run', () => {
  it('is set, exists, and is this process\'s temp dir', () => {
    expect(root, 'vitest globalSetup test/setup/temp-root.ts did not run').toBeTruthy();
    expect(fs.statSync(root!).isDirectory()).toBe(true);
    expect(os.tmpdir()).toBe(root);
    expect(path.basename(root!)).toMatch(/^codex-ts-test-run-/);
  });

  it('holds the helpers\' temp dirs', () => {
    const d = tempDir();
    expect(path.dirname(d)).toBe(root);
  });

  it('is the temp dir of the programs the tests start', () => {
    const r = codex(['sandbox', '-s', 'danger-full-access', '--', 'sh', '-c', 'echo "$TMPDIR"']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(root);
  });
});
