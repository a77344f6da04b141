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

describe('the global setup and teardown themselves', () => {
  it('teardown removes the root with everything in it, even folders left without permissions', async () => {
    const { setup, teardown } = await import('./temp-root.js');
    const saved = { TMPDIR: process.env.TMPDIR, CODEX_TS_TEST_TMP: process.env.CODEX_TS_TEST_TMP };
    let inner: string;
    try {
      setup();
      inner = process.env.CODEX_TS_TEST_TMP!;
      expect(inner).not.toBe(root);
      expect(fs.statSync(inner).mode & 0o7777).toBe(0o1777);
      const locked = path.join(inner, 'a', 'locked');
      fs.mkdirSync(locked, { recursive: true });
      fs.writeFileSync(path.join(locked, 'f'), 'x');
      fs.chmodSync(locked, 0o000);
      fs.chmodSync(path.join(inner, 'a'), 0o500);
      teardown();
    } finally {
      process.env.TMPDIR = saved.TMPDIR;
      process.env.CODEX_TS_TEST_TMP = saved.CODEX_TS_TEST_TMP;
    }
    expect(fs.existsSync(inner!)).toBe(false);
  });
});
