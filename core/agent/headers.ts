// The HTTP headers of a model request, as 0.169 sends them (originator, user-agent, session and
// thread ids, the window id and the turn metadata), with this program's name and version.
import * as fs from 'node:fs';
import * as os from 'node:os';

let osLabel: string | undefined;

/** `NAME VERSION_ID` of /etc/os-release (else the kernel's name and release), and the CPU. */
function platform(): string {
  if (osLabel === undefined) {
    let label = `${os.type()} ${os.release()}`;
    try {
      const rel = fs.readFileSync('/etc/os-release', 'utf8');
      const field = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(rel)?.[1];
      const name = field('NAME')?.split(' ')[0];
      if (name) label = `${name} ${field('VERSION_ID') ?? ''}`.trim();
    } catch {
      /* not Linux, or no os-release */
    }
    osLabel = `${label}; ${os.arch() === 'x64' ? 'x86_64' : os.arch() === 'arm64' ? 'aarch64' : os.arch()}`;
  }
  return osLabel;
}

export interface HeaderInput {
  threadId: string;
  turnId: string;
  version: string;
  model: string;
  sandboxMode: string;
  sandboxed: boolean;
  env: NodeJS.ProcessEnv;
}

/** `originator/version (os; arch) terminal (originator; version)`. */
export function userAgent(version: string, env: NodeJS.ProcessEnv): string {
  const term = env.TERM_PROGRAM || env.TERM || 'unknown';
  return `codex_exec/${version} (${platform()}) ${term} (codex_exec; ${version})`;
}

export function requestHeaders(h: HeaderInput): Record<string, string> {
  const window = `${h.threadId}:0`;
  return {
    originator: 'codex_exec',
    'user-agent': userAgent(h.version, h.env),
    'session-id': h.threadId,
    'thread-id': h.threadId,
    'x-client-request-id': h.threadId,
    'x-codex-window-id': window,
    'x-codex-turn-metadata': JSON.stringify({
      session_id: h.threadId,
      thread_id: h.threadId,
      turn_id: h.turnId,
      window_id: window,
      request_kind: 'turn',
      turn_trigger: 'exec',
      sandbox: h.sandboxed ? 'seccomp' : 'none',
      sandbox_mode: h.sandboxMode,
      model: h.model,
    }),
  };
}
