// The architecture's one-way import rule, enforced on every source file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/bin.js';
import { importsOf } from './imports-of.js';

const FOLDERS = ['entry', 'core', 'sandbox', 'rollout', 'patch', 'protocol', 'native'] as const;
type Folder = (typeof FOLDERS)[number];

const ALLOWED: Record<Folder, readonly Folder[]> = {
  entry: ['core', 'patch', 'sandbox', 'rollout', 'protocol'],
  core: ['patch', 'sandbox', 'rollout', 'protocol', 'native'],
  sandbox: ['protocol', 'native'],
  rollout: ['protocol', 'native'],
  patch: ['protocol'],
  native: ['protocol'],
  protocol: [],
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(ts|mts)$/.test(e.name) && !e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

describe('import direction', () => {
  it('parses static, side-effect and dynamic imports', () => {
    expect(importsOf(`import { a } from './x.js';\nexport * from "../y/index.js";\nconst m = await import('../z/q.js');\nimport './side.js';`)).toEqual([
      './x.js',
      '../y/index.js',
      '../z/q.js',
      './side.js',
    ]);
  });

  it('entry → core → {patch, sandbox, rollout} → protocol; native only from sandbox/rollout/core', () => {
    const bad: string[] = [];
    for (const folder of FOLDERS) {
      const dir = path.join(ROOT, folder);
      if (!fs.existsSync(dir)) continue;
      for (const file of sources(dir)) {
        for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
          if (!spec.startsWith('.')) continue;
          const target = path.relative(ROOT, path.resolve(path.dirname(file), spec)).split(path.sep)[0] as Folder;
          if (target === folder || !FOLDERS.includes(target)) continue;
          if (!ALLOWED[folder].includes(target)) bad.push(`${path.relative(ROOT, file)} imports ${spec} (${folder} → ${target})`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});

/** Relative import edges between source files (paths relative to ROOT), over every folder. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const folder of FOLDERS) {
    const dir = path.join(ROOT, folder);
    if (!fs.existsSync(dir)) continue;
    for (const file of sources(dir)) {
      const from = path.relative(ROOT, file);
      const to: string[] = [];
      for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = path.relative(ROOT, path.resolve(path.dirname(file), spec)).replace(/\.js$/, '.ts');
        if (fs.existsSync(path.join(ROOT, target))) to.push(target);
      }
      graph.set(from, to);
    }
  }
  return graph;
}

/** Import cycles as sorted file lists (Tarjan's strongly connected components of size > 1, or a self-import). */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? Infinity, low.get(w) ?? Infinity));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? Infinity, index.get(w) ?? Infinity));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      scc.push(w);
      if (w === v) break;
    }
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
  }
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a.join().localeCompare(b.join()));
}

/**
 * An import reaching into another folder (top-level or sub-folder) must go through that folder's
 * index.ts. Files of an enclosing folder are shared internals and may be imported directly
 * (sandbox/linux/x.ts → sandbox/types.ts).
 */
export function bypassesIndex(from: string, to: string): boolean {
  const a = path.posix.dirname(from);
  const b = path.posix.dirname(to);
  if (a === b || a.startsWith(`${b}/`)) return false;
  return path.posix.basename(to) !== 'index.ts';
}

// Program mains loaded lazily by the dispatcher so each program loads only itself (architecture spec).
const PROGRAM_MAINS = new Set([
  'entry/main.ts → patch/cli.ts',
  'entry/apply-patch.ts → patch/cli.ts',
  'entry/main.ts → sandbox/linux/helper-main.ts',
  'entry/sandbox.ts → sandbox/linux/helper-main.ts',
  'entry/sandbox.ts → core/cli/sandbox.ts',
]);

// Known cycles and index bypasses inside core/ and rollout/, left to the config and store work of
// issue 18 (point 2). The list may only shrink: anything not listed fails, and a listed entry that is gone
// fails too so the list stays honest.
const KNOWN_CYCLES: readonly string[] = [
];
const KNOWN_BYPASSES: readonly string[] = [
];

describe('import graph', () => {
  it('finds cycles and bypasses in a hand-made graph', () => {
    const g = new Map([
      ['a/x.ts', ['a/y.ts']],
      ['a/y.ts', ['a/x.ts', 'b/index.ts']],
      ['b/index.ts', ['b/c/z.ts']],
      ['b/c/z.ts', ['b/c/z.ts']],
    ]);
    expect(importCycles(g)).toEqual([['a/x.ts', 'a/y.ts'], ['b/c/z.ts']]);
    expect(bypassesIndex('a/x.ts', 'b/c/z.ts')).toBe(true);
    expect(bypassesIndex('a/x.ts', 'b/index.ts')).toBe(false);
    expect(bypassesIndex('b/c/z.ts', 'b/types.ts')).toBe(false);
    expect(bypassesIndex('b/types.ts', 'b/c/z.ts')).toBe(true);
  });

  const graph = importGraph();

  it('no import cycle (known core/rollout ones listed, none new)', () => {
    const cycles = importCycles(graph).map((c) => c.join(' ↔ '));
    expect(cycles.filter((c) => !KNOWN_CYCLES.includes(c))).toEqual([]);
    expect(KNOWN_CYCLES.filter((c) => !cycles.includes(c))).toEqual([]);
  });

  it("no import bypasses another folder's index.ts (sub-folders included)", () => {
    const bad: string[] = [];
    for (const [from, tos] of graph) {
      for (const to of tos) {
        const edge = `${from} → ${to}`;
        if (bypassesIndex(from, to) && !PROGRAM_MAINS.has(edge)) bad.push(edge);
      }
    }
    expect(bad.filter((e) => !KNOWN_BYPASSES.includes(e)).sort()).toEqual([]);
    expect(KNOWN_BYPASSES.filter((e) => !bad.includes(e))).toEqual([]);
  });
});
