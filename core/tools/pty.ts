// A child on a pseudo-terminal, through the prebuilt node-pty addon (@lydell/node-pty's pty.node,
// embedded in the executable like the other addons). Only its native fork is used: the master side
// is read and written as a tty stream here.
import * as tty from 'node:tty';
import { loadAddon } from '../../native/index.js';

interface PtyAddon {
  fork(
    file: string,
    args: string[],
    env: string[],
    cwd: string,
    cols: number,
    rows: number,
    uid: number,
    gid: number,
    utf8: boolean,
    helperPath: string,
    onexit: (code: number, signal: number) => void,
  ): { fd: number; pid: number; pty: string };
}

export interface PtyChild {
  pid: number;
  /** The master side: data the child prints; what is written goes to its input. */
  stream: tty.ReadStream;
}

export function spawnPty(o: { file: string; args: string[]; env: NodeJS.ProcessEnv; cwd: string; onExit: (code: number, signal: number) => void }): PtyChild {
  const addon = loadAddon<PtyAddon>('pty');
  const env = Object.entries(o.env)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  const term = addon.fork(o.file, o.args, env, o.cwd, 80, 24, -1, -1, true, 'spawn-helper-unused', o.onExit);
  const stream = new tty.ReadStream(term.fd);
  // EAGAIN at start and EIO when the child side closes are the normal end of a pty, not failures.
  stream.on('error', () => undefined);
  return { pid: term.pid, stream };
}
