// The apply_patch program must start fast: nothing outside patch/ and protocol/ is loaded, and the
// `diff` package only when --dry-run asks for it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('apply_patch start-up', () => {
  it('patch/ statically imports only node built-ins, protocol/ and itself', () => {
    for (const f of fs.readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const text = fs.readFileSync(path.join(here, f), 'utf8');
      for (const m of text.matchAll(/^import\s[^'";]*?from\s*['"]([^'"]+)['"]/gm)) {
        const spec = m[1] ?? '';
        const ok = spec.startsWith('node:') || spec.startsWith('./') || spec.startsWith('../protocol/');
        expect(ok, `${f} imports ${spec}`).toBe(true);
      }
    }
  });

  it('diff is imported lazily (dry-run only)', () => {
    const dry = fs.readFileSync(path.join(here, 'dryrun.ts'), 'utf8');
    expect(dry).toMatch(/await import\('diff'\)/);
    const cli = fs.readFileSync(path.join(here, 'cli.ts'), 'utf8');
    expect(cli).not.toMatch(/^import .*dryrun/m);
    expect(cli).toMatch(/await import\('\.\/dryrun\.js'\)/);
  });
});
