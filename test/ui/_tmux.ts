// A real terminal for the UI tests: a detached tmux session of a given size running dist/codex;
// keys go in with send-keys, the screen comes back with capture-pane. `terminals()` and `mockServer()`
// give a test file its terminals (killed after each test) and its scripted Responses server.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { CODEX_BIN, tempDir } from '../helpers/bin.js';
import { startMock, type MockServer } from '../mock/server.js';

export const HAVE_TMUX = spawnSync('tmux', ['-V']).status === 0;

let seq = 0;

export class Term {
  readonly name: string;
  private readonly sock: string;
  constructor(args: string[], o: { cwd: string; env: Record<string, string>; cols?: number; rows?: number }) {
    this.name = `codexui${process.pid}_${seq++}`;
    this.sock = path.join(tempDir('tmux-'), 'sock');
    // Through env(1): tmux sets TERM in the pane itself.
    const envArgs = Object.entries({ TERM: 'xterm-256color', ...o.env }).map(([k, v]) => `${k}=${v}`);
    const cmd = ['env', ...envArgs, CODEX_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // `; sleep` keeps the pane (and what codex printed last) after it exits; the exit status is shown.
    const shell = `${cmd}; echo "[exit $?]"; sleep 600`;
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', this.name, '-x', String(o.cols ?? 100), '-y', String(o.rows ?? 30), '-c', o.cwd, 'sh', '-c', shell);
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.sock, ...args], { encoding: 'utf8' });
  }

  /** Literal text (no key names). */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** tmux key names: Enter, Escape, C-c, Up, Tab … */
  keys(...names: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...names);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  /** The screen once `test` holds (polls; throws with the last screen after the timeout). */
  async waitFor(test: RegExp | ((s: string) => boolean), timeoutMs = 20_000): Promise<string> {
    const ok = typeof test === 'function' ? test : (s: string) => test.test(s);
    const end = Date.now() + timeoutMs;
    let s = '';
    while (Date.now() < end) {
      s = this.screen();
      if (ok(s)) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${String(test)}; the screen was:\n${s}`);
  }

  resize(cols: number, rows: number): void {
    this.tmux('resize-window', '-t', this.name, '-x', String(cols), '-y', String(rows));
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}

export function gitRepo(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: dir });
}

export interface OpenOptions {
  /** CODEX_HOME; HOME is its parent. */
  home: string;
  cwd: string;
  env?: Record<string, string>;
  cols?: number;
  rows?: number;
}

/** An opener of `codex ARGS` terminals for this test file; each test's terminals are killed after it. */
export function terminals(): (args: string[], o: OpenOptions) => Term {
  const open: Term[] = [];
  afterEach(() => {
    for (const t of open.splice(0)) t.kill();
  });
  return (args, o) => {
    const t = new Term(args, { cwd: o.cwd, env: { CODEX_HOME: o.home, MOCK_KEY: 'k', HOME: path.dirname(o.home), ...o.env }, cols: o.cols, rows: o.rows });
    open.push(t);
    return t;
  };
}

/** The scripted Responses server of this test file (started before its tests, closed after). */
export function mockServer(): () => MockServer {
  let mock: MockServer | undefined;
  beforeAll(async () => {
    mock = await startMock();
  });
  // A failed test's unused steps must not answer the next test.
  afterEach(() => mock?.reset());
  afterAll(async () => {
    await mock?.close();
  });
  return () => {
    if (!mock) throw new Error('the mock server is not started yet');
    return mock;
  };
}
