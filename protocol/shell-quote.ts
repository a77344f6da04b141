// Shell quoting for display, shared by the tools' command lines and the sandbox CLI's messages.

/** POSIX single-quote one word for display (`/bin/bash -lc '…'`). */
export function shQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_\-./=:@%+,]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function shJoin(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}
