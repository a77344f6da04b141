// Shared bits of the session-management integration tests (they drive dist/codex).
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { binsForOthers, codex, run, tempDir, type RunResult } from '../helpers/bin.js';

export function cx(home: string, args: string[], extraEnv: Record<string, string> = {}): RunResult {
  return codex(args, { env: { ...process.env, CODEX_HOME: home, ...extraEnv }, timeout: 60_000 });
}

export function json<T = Record<string, unknown>>(r: RunResult): T {
  return JSON.parse(r.stdout) as T;
}

/** One stderr line ending in `[CODE]`, nothing on stdout. */
export function expectOneLineError(r: RunResult, code: string, status: number): void {
  const lines = r.stderr.trim().split('\n');
  if (r.status !== status || lines.length !== 1 || !lines[0]!.endsWith(`[${code}]`) || !lines[0]!.startsWith('codex: ')) {
    throw new Error(`expected exit ${status} and one line ending in [${code}], got exit ${r.status}: ${JSON.stringify(r.stderr)}`);
  }
}

/** Every file under `dir` with a hash of its bytes (to prove a command changed nothing). */
export function treeDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = crypto.createHash('sha1').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** A process holding the thread's writer lock (exclusive flock, as Codex 0.169 does) until killed. */
export async function holdThreadLock(home: string, id: string): Promise<{ child: ChildProcess; stop: () => void }> {
  const dir = path.join(home, 'thread-writer-locks');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${id}.lock`);
  // Its own process group, so stop() ends flock and the command it runs together.
  const child = spawn('flock', ['-x', file, 'sh', '-c', 'echo locked; exec sleep 60'], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`flock exited ${c}`)));
  });
  child.stdout!.destroy();
  return {
    child,
    stop: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    },
  };
}

/**
 * Run the binary as `nobody` on a store it can read but not write (root ignores permissions).
 * Undefined when not root or setpriv is missing.
 */
export function cxAsNobody(home: string, args: string[]): RunResult | undefined {
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/setpriv')) return undefined;
  const cache = tempDir('codex-nobody-cache-');
  fs.chmodSync(cache, 0o777);
  readableByAll(home);
  fs.chmodSync(path.dirname(home), 0o755);
  return run('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', binsForOthers().codex, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CODEX_HOME: home, CODEX_TS_CACHE_DIR: cache, HOME: cache },
    timeout: 60_000,
  });
}

function readableByAll(p: string): void {
  const st = fs.statSync(p);
  fs.chmodSync(p, (st.mode & 0o7777) | (st.isDirectory() ? 0o755 : 0o644));
  if (st.isDirectory()) for (const e of fs.readdirSync(p)) readableByAll(path.join(p, e));
}
