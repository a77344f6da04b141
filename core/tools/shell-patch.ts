// A shell command that only invokes apply_patch (the model's habit from its training) is run as the
// patch tool, with the same policy checks and events, instead of failing as "command not found".
// Forms accepted, as 0.169 accepts them:
//   apply_patch <<'EOF' … EOF      (delimiter quoted or not, `applypatch` too, optional `cd DIR && ` first)
//   apply_patch '*** Begin Patch …'  or "…"   (one quoted argument)
//   argv ["apply_patch", PATCH]  and  [bash|sh, -lc|-c, one of the scripts above]

export interface ShellPatch {
  patch: string;
  /** `cd DIR &&` before the invocation: the patch's paths are relative to DIR. */
  cd?: string;
}

const HEREDOC = /^\s*(?:cd\s+(?:'([^']*)'|"([^"]*)"|([^\s;&|'"]+))\s*&&\s*)?(?:apply_patch|applypatch)\s+<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\4[ \t]*\n([\s\S]*?)\n\5[ \t]*\n?\s*$/;
const QUOTED_ARG = /^\s*(?:cd\s+(?:'([^']*)'|"([^"]*)"|([^\s;&|'"]+))\s*&&\s*)?(?:apply_patch|applypatch)\s+(?:'([^']*)'|"((?:[^"\\]|\\.)*)")\s*$/;

/** Pure: the patch a shell script hands to apply_patch, or undefined when it does anything else. */
export function patchFromScript(script: string): ShellPatch | undefined {
  const h = HEREDOC.exec(script);
  if (h) return withCd(h[6]!, h[1] ?? h[2] ?? h[3]);
  const q = QUOTED_ARG.exec(script);
  if (q) return withCd(q[4] ?? q[5]!.replace(/\\(["\\$`])/g, '$1'), q[1] ?? q[2] ?? q[3]);
  return undefined;
}

/** Pure: the same for an argv (the shell tool's form). */
export function patchFromArgv(argv: readonly string[]): ShellPatch | undefined {
  const [head, a1, a2] = argv;
  if ((head === 'apply_patch' || head === 'applypatch') && argv.length === 2) return { patch: a1! };
  const shells = new Set(['bash', '/bin/bash', '/usr/bin/bash', 'sh', '/bin/sh', 'zsh', '/bin/zsh']);
  if (head && shells.has(head) && (a1 === '-lc' || a1 === '-c') && argv.length === 3) return patchFromScript(a2!);
  return undefined;
}

function withCd(patch: string, cd: string | undefined): ShellPatch {
  return cd ? { patch, cd } : { patch };
}
