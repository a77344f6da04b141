// The standard output streams, used without creating them where possible: node builds
// process.stdout / process.stderr on first access, which loads its stream, net and tty modules
// (~25 modules, a few ms at every start of a short program such as apply_patch).
import * as fs from 'node:fs';

export type StdName = 'stdout' | 'stderr';

/** The standard streams a program has used so far (created by node on first access). */
const opened = new Map<StdName, NodeJS.WriteStream>();

/**
 * A closed stdout/stderr pipe (e.g. `| head`) ends the program quietly instead of throwing. The
 * handler is attached when a stream is first used: creating process.stdout loads node's stream,
 * net and tty modules (~25 modules), which a program writing through `writeOut` never needs.
 */
export function quietEpipe(): void {
  for (const name of ['stdout', 'stderr'] as const) {
    const desc = Object.getOwnPropertyDescriptor(process, name);
    if (!desc?.get || !desc.configurable) {
      watch(name, process[name]);
      continue;
    }
    const get = desc.get;
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: desc.enumerable,
      get() {
        const stream = get.call(process) as NodeJS.WriteStream;
        if (!opened.has(name)) watch(name, stream);
        return stream;
      },
    });
  }
}

function watch(name: StdName, stream: NodeJS.WriteStream): void {
  opened.set(name, stream);
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

/**
 * Writes text to fd 1 or 2 synchronously without creating the stream object. Falls back to the
 * stream when the fd is a non-blocking pipe that is full (EAGAIN) or when the stream is already in
 * use (its queued output must come first); a closed pipe (EPIPE) ends the program quietly, as
 * quietEpipe does.
 */
export function writeOut(name: StdName, text: string): void {
  const fd = name === 'stdout' ? 1 : 2;
  const stream = opened.get(name);
  if (stream) {
    stream.write(text);
    return;
  }
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  try {
    while (off < buf.length) off += fs.writeSync(fd, buf, off);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (code !== 'EAGAIN') throw e;
    process[name].write(buf.subarray(off));
  }
}

/** Exit once the standard streams in use have flushed (process.exit alone can cut piped output). */
export function exitAfterFlush(code: number): void {
  let pending = opened.size + 1;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  for (const stream of opened.values()) stream.write('', done);
  done();
}
