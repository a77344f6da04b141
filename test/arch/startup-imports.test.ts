// The start-up budget of the programs measured against Codex 0.169 (bench/startup): the modules that
// `codex sandbox`, the sandbox helper and apply_patch load at start (static imports, followed from
// the code each runs) must not import node builtins that cost milliseconds to load. Such a builtin is
// loaded where it is used, with process.getBuiltinModule.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/bin.js';
import { importsOf } from './imports-of.js';

/** Builtins that take 1–3 ms each to load (child_process alone brings net and stream). */
const HEAVY = ['child_process', 'crypto', 'net', 'stream', 'stream/promises', 'module', 'worker_threads', 'http', 'https', 'tls', 'zlib', 'readline'];

/** Each program's first modules: its entry and the module its path imports dynamically at once. */
const PATHS: Record<string, string[]> = {
  'codex sandbox': ['entry/sandbox.ts', 'core/cli/sandbox.ts'],
  'codex-linux-sandbox': ['entry/sandbox.ts', 'sandbox/linux/helper-main.ts'],
  apply_patch: ['entry/apply-patch.ts'],
};

/** Every module reachable from `roots` through static imports → the node builtins each imports. */
function builtinsAtStart(roots: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const todo = roots.map((r) => path.join(ROOT, r));
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (out.has(file)) continue;
    const specs = importsOf(fs.readFileSync(file, 'utf8'), { atStart: true });
    out.set(file, specs.filter((s) => s.startsWith('node:')).map((s) => s.slice('node:'.length)));
    for (const s of specs.filter((x) => x.startsWith('.'))) todo.push(path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')));
  }
  return out;
}

describe('start-up imports', () => {
  it('parses static imports only', () => {
    const text = `import * as fs from 'node:fs';\nimport type { X } from './types.js';\nexport { a } from './a.js';\nimport './side.js';\nconst m = await import('./lazy.js');\nimport {\n  b,\n} from "./b.js";`;
    expect(importsOf(text, { atStart: true })).toEqual(['node:fs', './a.js', './side.js', './b.js']);
  });

  it.each(Object.entries(PATHS))('%s imports no costly node builtin at start', (_name, roots) => {
    const offenders: string[] = [];
    const modules = builtinsAtStart(roots);
    expect(modules.size).toBeGreaterThan(roots.length); // the walk followed the imports
    for (const [file, builtins] of modules) {
      for (const b of builtins.filter((x) => HEAVY.includes(x))) offenders.push(`${path.relative(ROOT, file)} imports node:${b}`);
    }
    expect(offenders).toEqual([]);
  });
});
