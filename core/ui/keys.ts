// The composer's keys, decoded from the terminal's byte sequences (one input event of Ink's parser:
// a run of text, or one escape sequence). Backspace (DEL, 0x7f) and Delete (ESC [3~) differ here,
// which Ink's key object does not tell apart.

export type ComposerKey =
  | { kind: 'text'; text: string }
  | { kind: 'enter' | 'newline' | 'tab' | 'escape' | 'interrupt' }
  | { kind: 'left' | 'right' | 'up' | 'down' | 'home' | 'end' | 'wordLeft' | 'wordRight' }
  | { kind: 'backspace' | 'delete' | 'killLineStart' | 'killLineEnd' | 'killWordBack' }
  | { kind: 'pasteStart' | 'pasteEnd' }
  | { kind: 'ignored' };

const SEQUENCES: Record<string, ComposerKey['kind']> = {
  '\r': 'enter',
  '\n': 'newline', // Ctrl-J
  '\x1b\r': 'newline', // Alt-Enter
  '\t': 'tab',
  '\x1b': 'escape',
  '\x03': 'interrupt',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\x1b[3~': 'delete',
  '\x04': 'delete', // Ctrl-D
  '\x01': 'home',
  '\x05': 'end',
  '\x02': 'left', // Ctrl-B
  '\x06': 'right', // Ctrl-F
  '\x15': 'killLineStart',
  '\x0b': 'killLineEnd',
  '\x17': 'killWordBack',
  '\x1b\x7f': 'killWordBack', // Alt-Backspace
  '\x1b\b': 'killWordBack',
  '\x1bb': 'wordLeft', // Alt-B
  '\x1bf': 'wordRight', // Alt-F
  '\x1bOd': 'wordLeft', // rxvt Ctrl-←
  '\x1bOc': 'wordRight', // rxvt Ctrl-→
  '\x1b[200~': 'pasteStart',
  '\x1b[201~': 'pasteEnd',
};

const CURSOR: Record<string, ComposerKey['kind']> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };
const TILDE: Record<string, ComposerKey['kind']> = { '1': 'home', '7': 'home', '4': 'end', '8': 'end', '3': 'delete' };

export function decodeKey(seq: string): ComposerKey {
  const named = SEQUENCES[seq];
  if (named) return { kind: named } as ComposerKey;
  // ESC [ X, ESC O X, ESC [ 1 ; m X (m: 3 Alt, 5 Ctrl, …), and the double-escape Alt form.
  const csi = /^\x1b\x1b?(?:\[|O)(?:1;(\d+))?([ABCDHF])$/.exec(seq) ?? /^\x1b\[(\d+)([CD])$/.exec(seq);
  if (csi) {
    const mod = Number(csi[1] ?? 1) - 1;
    const kind = CURSOR[csi[2]!]!;
    const word = mod & (2 | 4 | 8) || seq.startsWith('\x1b\x1b');
    if (word && kind === 'left') return { kind: 'wordLeft' };
    if (word && kind === 'right') return { kind: 'wordRight' };
    return { kind } as ComposerKey;
  }
  const tilde = /^\x1b\[(\d+)(?:;\d+)?~$/.exec(seq);
  if (tilde) {
    const kind = TILDE[tilde[1]!];
    return kind ? ({ kind } as ComposerKey) : { kind: 'ignored' };
  }
  if (seq.startsWith('\x1b')) return { kind: 'ignored' };
  // Other control characters alone are not text.
  if (/^[\x00-\x1f]$/.test(seq)) return { kind: 'ignored' };
  return { kind: 'text', text: seq };
}

/** Control characters other than the line breaks and tab a pasted text may hold. */
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/**
 * The keys of one input event. Ink splits its input at escape sequences only: keys typed faster
 * than a read (text, then Backspace, then more text) come as one run, cut here at each control
 * character. Line breaks stay inside the text (a paste, or a line typed and sent at once).
 */
export function decodeKeys(seq: string): ComposerKey[] {
  if (seq.startsWith('\x1b') || seq.length <= 1 || !CONTROL.test(seq)) return [decodeKey(seq)];
  const out: ComposerKey[] = [];
  for (const m of seq.matchAll(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+/g)) out.push(decodeKey(m[0]));
  return out;
}
