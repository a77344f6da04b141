// The import specifiers of a source file, for the architecture tests (imports.test.ts: the one-way
// rule over every import; startup-imports.test.ts: what loads with a module).
const IMPORT = /(?:^|[^.\w])((?:import|export)\s[^'";]*?)from\s*['"]([^'"]+)['"]|(?:^|[^.\w])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[^.\w])import\s+['"]([^'"]+)['"]/gm;

/**
 * Static, side-effect and dynamic imports, in order. `atStart`: only those that load with the
 * module (no `import type`, no `import()`).
 */
export function importsOf(text: string, opts: { atStart?: boolean } = {}): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    if (opts.atStart && (m[3] !== undefined || /^(?:import|export)\s+type\s/.test(m[1] ?? ''))) continue;
    const spec = m[2] ?? m[3] ?? m[4];
    if (spec !== undefined) found.push(spec);
  }
  return found;
}
