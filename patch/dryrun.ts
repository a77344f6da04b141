// `apply_patch --dry-run`: what the patch would change, as a unified diff. Loads `diff` lazily so
// the normal path never pays for it.
import * as path from 'node:path';
import type { PatchPlan, PlannedPath } from './plan.js';

export async function renderDryRun(plan: PatchPlan): Promise<string> {
  const { createTwoFilesPatch } = await import('diff');
  const byPath = new Map(plan.paths.map((p) => [p.path, p]));
  const shownAsMove = new Set<string>();
  const out: string[] = [];
  const name = (p: PlannedPath) => {
    const r = path.relative(plan.cwd, p.path);
    return r.startsWith('..') || path.isAbsolute(r) ? p.path : r;
  };
  const oldText = (p: PlannedPath) => (p.original ? (p.original.notUtf8 ? '<not UTF-8 text>\n' : p.original.content.text) : '');
  for (const p of plan.paths) if (p.final.state === 'file' && p.final.movedFrom) shownAsMove.add(p.final.movedFrom);
  for (const p of plan.paths) {
    if (!p.changed) continue;
    if (p.final.state === 'absent') {
      if (!p.original || shownAsMove.has(p.path)) continue;
      out.push(createTwoFilesPatch(`a/${name(p)}`, '/dev/null', oldText(p), ''));
      continue;
    }
    const from = p.final.movedFrom ? byPath.get(p.final.movedFrom) : undefined;
    const src = from ?? p;
    const before = src.original ? oldText(src) : '';
    const a = src.original ? `a/${name(src)}` : '/dev/null';
    out.push(createTwoFilesPatch(a, `b/${name(p)}`, before, p.final.content.text));
  }
  return out.map((d) => d.replace(/^=+\n/, '')).map((d) => (d.endsWith('\n') ? d : d + '\n')).join('');
}
