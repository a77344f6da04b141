// Helpers for tests that drive the built executable in dist/ (scripts/test.mjs builds it first).
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemBwrap as systemBwrapOnPath } from '../../scripts/bundle-bwrap.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = path.join(ROOT, 'dist');
export const CODEX_BIN = path.join(DIST, 'codex');
export const APPLY_PATCH_BIN = path.join(DIST, 'apply_patch');
export const SANDBOX_BIN = path.join(DIST, 'codex-linux-sandbox');
/** Data the tests need, kept in the repository (see test/fixtures/README.md). */
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
/** A CODEX_HOME written by the real Codex 0.169 (read-only: tests use copyFixtureHome()). */
export const FIXTURE_HOME = path.join(FIXTURES, 'codex-home-0.169');

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function run(file: string, args: readonly string[], opts: SpawnSyncOptions & { input?: string | Buffer } = {}): RunResult {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024, ...opts });
  if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw r.error;
  return { status: r.status, signal: r.signal, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/**
 * `run` without blocking the test process (for several children at once, or a loopback server in
 * this process): stdin gets `input` (or nothing) and is closed; killed after `timeoutMs`.
 */
export function runAsync(
  file: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<Omit<RunResult, 'signal'>> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Run dist/codex with a private CODEX_HOME unless the caller gives one. */
export function codex(args: readonly string[], opts: SpawnSyncOptions & { input?: string | Buffer } = {}): RunResult {
  return run(CODEX_BIN, args, opts);
}

const made: string[] = [];
/**
 * A fresh temp dir, removed at process exit. Under the run's temp root (test/setup/temp-root.ts
 * sets TMPDIR), so whatever a crashed worker leaves is removed with the root at the end of the run.
 */
export function tempDir(prefix = 'codex-ts-test-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}
process.on('exit', () => {
  for (const d of made) {
    try {
      fs.rmSync(d, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
});

/**
 * A fresh dir outside every shared temp folder (/tmp, /var/tmp, /dev/shm, $TMPDIR): Codex 0.169
 * refuses to create its sandbox helper links under a temporary CODEX_HOME, and our sandbox never
 * runs a bwrap found in a temp folder. Under the run's scratch root (test/setup/temp-root.ts), which
 * the global teardown removes; removed at process exit as well.
 */
export function scratchOutsideTmp(prefix: string): string {
  let base = process.env.CODEX_TS_TEST_SCRATCH;
  if (!base) {
    base = path.join(ROOT, '.build-tmp');
    fs.mkdirSync(base, { recursive: true });
  }
  const d = fs.mkdtempSync(path.join(base, prefix));
  made.push(d);
  return d;
}

let others: { codex: string; applyPatch: string; sandbox: string } | undefined;

/**
 * The dist/ programs as an unprivileged user (tests run them as `nobody`) can start them: dist/
 * itself when every folder above it is searchable by others, else a copy in a world-readable temp
 * dir (a CI checkout may sit under a private home such as /root).
 */
export function binsForOthers(): { codex: string; applyPatch: string; sandbox: string } {
  if (others) return others;
  let dir = fs.realpathSync(DIST);
  let open = true;
  for (let d = dir; ; d = path.dirname(d)) {
    if ((fs.statSync(d).mode & 0o001) === 0) open = false;
    if (d === path.dirname(d)) break;
  }
  if (!open) {
    dir = tempDir('codex-ts-bin-');
    fs.chmodSync(dir, 0o755);
    fs.copyFileSync(CODEX_BIN, path.join(dir, 'codex'));
    fs.chmodSync(path.join(dir, 'codex'), 0o755);
    for (const link of ['apply_patch', 'applypatch', 'codex-linux-sandbox']) fs.symlinkSync('codex', path.join(dir, link));
  }
  others = { codex: path.join(dir, 'codex'), applyPatch: path.join(dir, 'apply_patch'), sandbox: path.join(dir, 'codex-linux-sandbox') };
  return others;
}

/** A writable copy of the real Codex 0.169 CODEX_HOME, mtimes kept. */
export function copyFixtureHome(): string {
  const dst = path.join(tempDir('codex-home-'), 'home');
  fs.cpSync(FIXTURE_HOME, dst, { recursive: true, preserveTimestamps: true });
  makeWritable(dst);
  return dst;
}

function makeWritable(p: string): void {
  const st = fs.lstatSync(p);
  if (st.isSymbolicLink()) return;
  fs.chmodSync(p, st.mode | (st.isDirectory() ? 0o700 : 0o600));
  if (st.isDirectory()) for (const e of fs.readdirSync(p)) makeWritable(path.join(p, e));
}

/** Where .ci/run installs the real Codex 0.169 (beside the checkout) when CODEX_REFERENCE_BIN is unset. */
export const REFERENCE_DEFAULT = path.resolve(ROOT, '..', '.codex-reference/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex');

/**
 * The real Codex 0.169 binary (the oracle), or undefined: $CODEX_REFERENCE_BIN when set (the one
 * documented knob; README "Running the tests"), else REFERENCE_DEFAULT.
 */
export function referenceCodex(): string | undefined {
  const c = process.env.CODEX_REFERENCE_BIN || REFERENCE_DEFAULT;
  return fs.existsSync(c) ? c : undefined;
}

export const REFERENCE_MISSING_REASON = process.env.CODEX_REFERENCE_BIN
  ? `CODEX_REFERENCE_BIN=${process.env.CODEX_REFERENCE_BIN} does not exist`
  : `the real Codex 0.169 is not installed (set CODEX_REFERENCE_BIN, or run \`npm install @openai/codex@0.169.0\` in ${path.dirname(ROOT)}/.codex-reference)`;

/** The bwrap on PATH the build bundles (scripts/bundle-bwrap.mjs), resolved; undefined on a machine without bubblewrap. */
export function systemBwrap(): string | undefined {
  const found = systemBwrapOnPath();
  return found === undefined ? undefined : fs.realpathSync(found);
}

/** The bwrap the sandbox runs here: the system one, else the bundled dist/codex-resources/bwrap. */
export const BWRAP = systemBwrap() ?? path.join(DIST, 'codex-resources', 'bwrap');

/**
 * stderr without the start-up warning of a machine that has no system bubblewrap (the sandbox
 * then runs through the bundled one), so tests that expect a quiet run hold on such a machine too.
 */
export function withoutBundledBwrapWarning(stderr: string): string {
  return stderr.replace(/^codex: warning: no (usable )?system bubblewrap on PATH.*: using the bundled .*\n/gm, '');
}

/**
 * For a test that needs a tool: skip (with the reason in its name) when the tool is absent, except
 * under CI=true, where CI installs what the tests need, so a missing tool is a failure: run the
 * test, and let `requireTool` at its start fail it with a clear message.
 */
export function toolSkip(tool: string, present: boolean): { skip: boolean; note: string } {
  const skip = !present && process.env.CI !== 'true';
  return { skip, note: skip ? ` (skipped: ${tool} is not installed)` : '' };
}

export function requireTool(tool: string, present: boolean): void {
  if (!present) throw new Error(`${tool} is required by this test and CI=true, but it is not installed (.ci/run installs it)`);
}
