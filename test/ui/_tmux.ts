// A real terminal for the UI tests: a detached tmux session of a given size running dist/codex;
// keys go in with send-keys, the screen comes back with capture-pane.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODEX_BIN, tempDir } from '../helpers/bin.js';

export const HAVE_TMUX = spawnSync('tmux', ['-V']).status === 0;

let seq = 0;

/**
 * Ink renders nothing interactive when it believes it runs under CI (is-in-ci reads these): the pane
 * is a real terminal, so they are unset for the program under test, as on a user's machine.
 */
const CI_UNSET = ['-u', 'CI', '-u', 'CONTINUOUS_INTEGRATION', '-u', 'BUILD_NUMBER', '-u', 'RUN_ID'];

export class Term {
  readonly name: string;
  private readonly sock: string;
  constructor(args: string[], o: { cwd: string; env: Record<string, string>; cols?: number; rows?: number }) {
    this.name = `codexui${process.pid}_${seq++}`;
    this.sock = path.join(tempDir('tmux-'), 'sock');
    // Through env(1): tmux sets TERM in the pane itself.
    const envArgs = Object.entries({ TERM: 'xterm-256color', ...o.env }).filter(([k]) => !CI_UNSET.includes(k)).map(([k, v]) => `${k}=${v}`);
    const cmd = ['env', ...CI_UNSET, ...envArgs, CODEX_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
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
