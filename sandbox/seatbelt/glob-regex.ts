// `none` globs as Seatbelt regexes, so the kernel checks every path when it is opened — including files
// created after the profile was built (expanding the glob once at start-up would miss those).
// Seatbelt regexes are POSIX extended regular expressions; the result goes inside `#"…"`.

const ERE_SPECIAL = /[.[\](){}*+?|^$\\]/g;

function escapeLiteral(s: string): string {
  return s.replace(ERE_SPECIAL, (c) => `\\${c}`);
}

/**
 * An absolute glob (`*` and `?` within one name, `**` across names, `[…]`/`[!…]` classes) as an
 * anchored ERE that also matches everything below a match (a `none` directory hides its subtree).
 *
 * @example
 *   globToSeatbeltRegex('/w/*.env'); // '^/w/[^/]*\\.env$'
 */
export function globToSeatbeltRegex(pattern: string): string {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      if (pattern[i + 2] === '/') {
        re += '(.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let cls = pattern.slice(i + 1, end);
      let neg = false;
      if (cls.startsWith('!')) {
        neg = true;
        cls = cls.slice(1);
      }
      // Inside an ERE bracket expression a backslash is literal and `^` is special only first.
      if (!neg && cls.startsWith('^')) cls = cls.slice(1) + '^';
      re += `[${neg ? '^/' : ''}${cls}]`;
      i = end;
    } else re += escapeLiteral(c);
  }
  return `${re}(/.*)?$`;
}

/** The regex as an SBPL literal: `#"…"` with `"` escaped. */
export function sbplRegexLiteral(re: string): string {
  return `#"${re.replace(/"/g, '\\"')}"`;
}
