// The architecture's one-way import rule, enforced on every source file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/bin.js';

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

export function importsOf(text: string): string[] {
  const re = /(?:^|[^.\w])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[^.\w])import\s+['"]([^'"]+)['"]/gm;
  const found: string[] = [];
  for (const m of text.matchAll(re)) found.push((m[1] ?? m[2] ?? m[3])!);
  return found;
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
