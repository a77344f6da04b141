// Process setup shared by the three programs: nothing here reads config or loads a program.
// NODE_OPTIONS needs no handling here: the build renames its lookup in the embedded node, so it
// never reaches our runtime (and stays in the environment for the user's own commands).

/** A closed stdout/stderr pipe (e.g. `| head`) ends the program quietly instead of throwing. */
export function quietEpipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}

/** Exit once stdout and stderr have flushed (process.exit alone can cut piped output). */
export function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
