// Shell snapshot (as 0.169): the user's login shell is started once per session and what its profile
// sets up (exported variables, functions, shell options, aliases) is saved to a file; later login
// commands source that file under a plain `bash -c` instead of running the whole profile again,
// which can take hundreds of milliseconds (pyenv, nvm, conda …) on every command.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LiveProcess } from './live-process.js';
import { shQuote } from '../../protocol/index.js';
import type { SpawnPreparer } from './spawn.js';
import type { EffectivePolicy } from '../../sandbox/index.js';

/** Variables that belong to each command, not to the snapshot (or that bash will not let a script set). */
const SKIP = new Set(['PWD', 'OLDPWD', 'SHLVL', '_', 'BASHOPTS', 'BASH_VERSINFO', 'EUID', 'PPID', 'SHELLOPTS', 'UID', 'TERM', 'NO_COLOR', 'LANG', 'LC_CTYPE', 'LC_ALL', 'COLORTERM', 'PAGER', 'GIT_PAGER', 'GH_PAGER']);

/** Run by the login shell: prints the setup the snapshot restores, then a marker proving it finished. */
const SNAPSHOT_SCRIPT = [
  'echo "# codex-ts snapshot start"',
  'alias -p',
  'declare -f',
  'shopt -p',
  "set -o | awk '{ print ($2 == \"on\" ? \"set -o \" : \"set +o \") $1 }'",
  'export -p',
  'echo "# codex-ts snapshot complete"',
].join('\n');

/** Whether a snapshot can stand in for this shell's login run (bash only). */
function snapshotApplies(shell: string): boolean {
  return path.basename(shell) === 'bash';
}

/** Pure: the snapshot text from the script's output, or undefined when it did not finish. */
export function snapshotText(output: string): string | undefined {
  // Only what the script printed between its markers: whatever the profile itself printed is not shell code.
  const start = output.lastIndexOf('# codex-ts snapshot start\n');
  const end = output.lastIndexOf('# codex-ts snapshot complete');
  if (start < 0 || end < start) return undefined;
  const lines: string[] = ['# codex-ts shell snapshot', 'unalias -a 2>/dev/null || true'];
  for (const line of output.slice(start + 26, end).split('\n')) {
    const m = /^declare -x ([A-Za-z_][A-Za-z0-9_]*)(=|$)/.exec(line);
    if (m && (SKIP.has(m[1]!) || m[1]!.startsWith('CODEX_'))) continue;
    lines.push(line);
  }
  // The last line's status is what sourcing the file returns: success only when it was read to the end.
  lines.push('true');
  return lines.join('\n') + '\n';
}

export class ShellSnapshot {
  private file: string | undefined;
  private pending: Promise<void> | undefined;
  private proc: LiveProcess | undefined;
  private closed = false;

  constructor(private readonly dir: string, private readonly id: string) {}

  /** Start taking the snapshot (once) with the session's sandbox; commands use it once it is ready. */
  start(o: { shell: string; cwd: string; env: NodeJS.ProcessEnv; policy: EffectivePolicy; prepare: SpawnPreparer }): void {
    if (this.pending || !snapshotApplies(o.shell)) return;
    this.pending = (async () => {
      try {
        const env = o.policy.unrestricted ? o.env : { ...o.env, CODEX_SANDBOX: 'seccomp' };
        const prepared = o.prepare({ policy: o.policy, cwd: o.cwd, command: [o.shell, '-lc', SNAPSHOT_SCRIPT], env });
        const proc = (this.proc = new LiveProcess(prepared, false, 1024 * 1024, undefined, false));
        await proc.wait(10_000);
        if (proc.running) {
          proc.kill();
          return;
        }
        const out = proc.take();
        const text = proc.exitCode === 0 && Buffer.byteLength(out.text) === out.totalBytes ? snapshotText(out.text) : undefined;
        if (!text || this.closed) return;
        fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        const file = path.join(this.dir, `${this.id}.sh`);
        fs.writeFileSync(file, text, { mode: 0o600 });
        this.file = file;
      } catch {
        /* no snapshot: commands run the login shell as before */
      }
    })();
  }

  /** Wait for a snapshot in progress (bounded), so the first commands can use it too. */
  async ready(ms: number): Promise<void> {
    if (!this.pending) return;
    await Promise.race([this.pending, new Promise((r) => setTimeout(r, ms).unref())]);
  }

  /** The argv that runs `cmd` with the snapshot instead of a login shell, when there is one. */
  argv(shell: string, cmd: string): string[] | undefined {
    if (!this.file || !snapshotApplies(shell) || !fs.existsSync(this.file)) return undefined;
    // A sandbox that cannot read the file (or a broken file) falls back to the login shell.
    return [shell, '-c', `if ! . ${shQuote(this.file)} >/dev/null 2>&1; then exec ${shQuote(shell)} -lc ${shQuote(cmd)}; fi\n${cmd}`];
  }

  /** Session end: stop a snapshot still being taken, delete the file. */
  remove(): void {
    this.closed = true;
    this.proc?.kill();
    if (this.file) fs.rmSync(this.file, { force: true });
    this.file = undefined;
  }
}
