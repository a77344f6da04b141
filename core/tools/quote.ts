/** POSIX single-quote one word for display (`/bin/bash -lc '…'`). */
export function shQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_\-./=:@%+,]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function shJoin(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}
