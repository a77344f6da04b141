// leanSpawn both ways: through node's process_wrap binding (what `codex sandbox` uses) and through
// node:child_process (its fallback where the binding is missing). Same results either way.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { leanSpawn, shellStatus, SpawnError } from '../../native/index.js';
import { tempDir } from '../helpers/bin.js';

const env = { PATH: '/usr/bin:/bin', ONLY: 'this' };

describe.each([
  { way: 'process_wrap binding', useBinding: true },
  { way: 'node:child_process', useBinding: false },
])('leanSpawn through $way', ({ useBinding }) => {
  /** Runs `sh -c script` with fd 1 (and `extra` fds) going to files; returns its exit and what it wrote. */
  async function sh(script: string, extra: (number | 'ignore')[] = [], argv0 = 'sh') {
    const dir = tempDir('lean-spawn-');
    const out = fs.openSync(path.join(dir, 'out'), 'w+');
    try {
      const child = await leanSpawn({ file: '/bin/sh', argv: [argv0, '-c', script], env, fds: ['ignore', out, 2, ...extra], useBinding });
      expect(child.pid).toBeGreaterThan(0);
      const exit = await child.exited;
      return { ...exit, out: fs.readFileSync(path.join(dir, 'out'), 'utf8') };
    } finally {
      fs.closeSync(out);
    }
  }

  it('passes the exit code, argv[0] and only the given environment', async () => {
    const r = await sh('echo "$0 $ONLY ${HOME-unset}"; exit 7', [], 'not-sh');
    expect(r).toEqual({ code: 7, signal: null, out: 'not-sh this unset\n' });
  });

  it('starts the child in cwd when given, else in ours', async () => {
    const dir = fs.realpathSync(tempDir('lean-spawn-cwd-'));
    const out = path.join(dir, 'out');
    const fd = fs.openSync(out, 'w+');
    try {
      for (const cwd of [dir, undefined]) {
        const child = await leanSpawn({ file: '/bin/sh', argv: ['sh', '-c', 'pwd'], env, ...(cwd ? { cwd } : {}), fds: ['ignore', fd, 2], useBinding });
        expect((await child.exited).code).toBe(0);
      }
    } finally {
      fs.closeSync(fd);
    }
    expect(fs.readFileSync(out, 'utf8')).toBe(`${dir}\n${process.cwd()}\n`);
  });

  it('reports the signal that ended the child', async () => {
    expect(await sh('kill -TERM $$')).toMatchObject({ code: null, signal: 'SIGTERM' });
  });

  it('hands our fd to the child as fd 3; ignore leaves fd 3 closed', async () => {
    const dir = tempDir('lean-spawn-fd-');
    const three = fs.openSync(path.join(dir, 'three'), 'w');
    try {
      expect((await sh('echo via-3 >&3', [three])).code).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'three'), 'utf8')).toBe('via-3\n');
    } finally {
      fs.closeSync(three);
    }
    expect((await sh('{ echo x >&3; } 2>/dev/null && echo open || echo closed', ['ignore'])).out).toBe('closed\n');
  });

  it('kill() signals a running child, and is a no-op once it has exited', async () => {
    const child = await leanSpawn({ file: '/bin/sleep', argv: ['sleep', '30'], env, fds: ['ignore', 'ignore', 'ignore'], useBinding });
    child.kill('SIGKILL');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(child.kill('SIGTERM')).toBeUndefined(); // no throw for an exited child
  });

  it('forwardSignals passes a SIGTERM sent to us on to the child; shellStatus reads 128 + its number', async () => {
    const child = await leanSpawn({ file: '/bin/sleep', argv: ['sleep', '30'], env, fds: ['ignore', 'ignore', 'ignore'], forwardSignals: true, useBinding });
    process.emit('SIGTERM', 'SIGTERM');
    const exit = await child.exited;
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(shellStatus(exit)).toBe(143);
    expect(shellStatus({ code: 7, signal: null })).toBe(7);
  });

  it('a file that cannot be started is a SpawnError with the errno name', async () => {
    const err = await leanSpawn({ file: '/nonexistent/bwrap', argv: ['bwrap'], env, fds: [0, 1, 2], useBinding }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpawnError);
    expect(err).toMatchObject({ code: 'ENOENT', file: '/nonexistent/bwrap' });
  });
});
