// A plain clone with nothing beside it passes `npm test`: no test, helper, script or README example
// reads data from outside the repository (the only thing found beside the checkout is the optional
// reference binary, through test/helpers/bin.ts referenceCodex()).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_HOME, FIXTURES, ROOT } from '../helpers/bin.js';

function filesUnder(dir: string, keep: (f: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'fixtures' && !e.name.startsWith('.')) out.push(...filesUnder(p, keep));
    } else if (keep(p)) out.push(p);
  }
  return out;
}

// Paths that leave the checkout: a sibling `shared` folder, the machine's /work layout.
const OUTSIDE = [/\.\.\/shared\b/, /['"]\.\.['"],\s*['"]shared['"]/, /\/work\/(shared|main|wt-)/];

describe('the test suite is self-contained', () => {
  it('no source, test, script or README text points outside the checkout', () => {
    const files = [
      ...['test', 'core', 'rollout', 'patch', 'sandbox', 'protocol', 'native', 'entry', 'scripts', 'bench'].flatMap((d) =>
        fs.existsSync(path.join(ROOT, d)) ? filesUnder(path.join(ROOT, d), (f) => /\.(ts|mjs|js)$/.test(f)) : [],
      ),
      path.join(ROOT, 'README.md'),
      path.join(ROOT, 'vitest.config.ts'),
    ].filter((f) => !f.endsWith(path.join('test', 'setup', 'self-contained.test.ts')));
    const hits: string[] = [];
    for (const f of files) {
      const lines = fs.readFileSync(f, 'utf8').split('\n');
      lines.forEach((l, i) => {
        if (OUTSIDE.some((re) => re.test(l))) hits.push(`${path.relative(ROOT, f)}:${i + 1}: ${l.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('the fixtures the tests read are in the repository', () => {
    expect(FIXTURES).toBe(path.join(ROOT, 'test', 'fixtures'));
    for (const f of ['README.md', 'apply-patch-cases.json', 'exec-json-0.169.jsonl', 'codex-home-0.169/config.toml', 'codex-home-0.169/.tmp/rollout-compression.lock']) {
      expect(fs.existsSync(path.join(FIXTURES, f)), f).toBe(true);
    }
    // The 13 sessions the real Codex 0.169 wrote (test/fixtures/README.md).
    expect(filesUnder(FIXTURE_HOME, (f) => /\/rollout-[^/]+\.jsonl(\.zst)?$/.test(f))).toHaveLength(13);
  });
});
