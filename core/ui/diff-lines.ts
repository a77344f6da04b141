// A file change as coloured diff lines (the `diff` package computes the hunks).
import { structuredPatch } from 'diff';

export interface DiffLine {
  kind: 'file' | 'hunk' | 'add' | 'del' | 'ctx';
  text: string;
}

export function fileDiff(file: string, before: string, after: string): DiffLine[] {
  const p = structuredPatch(file, file, before, after, '', '', { context: 2 });
  const out: DiffLine[] = [{ kind: 'file', text: `${before === '' ? 'added' : after === '' ? 'deleted' : 'updated'} ${file}` }];
  for (const h of p.hunks) {
    out.push({ kind: 'hunk', text: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@` });
    for (const l of h.lines) {
      if (l.startsWith('\\')) continue;
      out.push({ kind: l[0] === '+' ? 'add' : l[0] === '-' ? 'del' : 'ctx', text: l });
    }
  }
  return out;
}
