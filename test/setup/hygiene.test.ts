// Tests that cannot fail are defects: a `.toThrow()` that accepts any error (a typo in the code under
// test passes it), a skip announced with console.log and a silent return (it counts as a pass), a
// golden file written by the test that compares against it. This scans every test file for them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/bin.js';

const RULES: { name: string; re: RegExp; fix: string }[] = [
  { name: 'toThrow without the error', re: /\.(toThrow|toThrowError)\(\s*\)/, fix: 'name the code: .toThrow(expect.objectContaining({ code: … })) or a message' },
  { name: 'skip announced on the console', re: /console\.(log|warn|info)\([^)]*\bskip/i, fix: 'it.skipIf(cond)(`… (skipped: why)`) or ctx.skip(why)' },
  { name: 'golden file written when missing', re: /GOLDEN.*\|\|\s*!fs\.existsSync\(/, fix: 'a missing golden file is a failure; write them only under UPDATE_GOLDEN=1' },
];

// Files owned by work in progress elsewhere (the sandbox tests): their hits are reported, not failed.
const OWNED_ELSEWHERE = ['test/sandbox-policy/', 'test/sandbox-linux/'];

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'fixtures' && !e.name.startsWith('.')) out.push(...testFiles(p));
    } else if (/\.(test|fixture)\.ts$|\/test\/.*\.ts$/.test(p)) out.push(p);
  }
  return out;
}

const self = path.join('test', 'setup', 'hygiene.test.ts');
const hits: { file: string; line: number; rule: string; text: string }[] = [];
for (const d of ['test', 'core', 'rollout', 'patch', 'sandbox', 'protocol', 'native', 'entry']) {
  for (const f of testFiles(path.join(ROOT, d))) {
    const rel = path.relative(ROOT, f);
    if (rel === self) continue;
    fs.readFileSync(f, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        for (const r of RULES) if (r.re.test(text)) hits.push({ file: rel, line: i + 1, rule: r.name, text: text.trim() });
      });
  }
}
const owned = (h: (typeof hits)[number]) => OWNED_ELSEWHERE.some((p) => h.file.startsWith(p));
const elsewhere = hits.filter(owned);

describe('test hygiene', () => {
  it('no test accepts any error, skips silently, or writes its own golden file', () => {
    expect(
      hits.filter((h) => !owned(h)).map((h) => `${h.file}:${h.line}: ${h.rule} (${RULES.find((r) => r.name === h.rule)!.fix}): ${h.text}`),
    ).toEqual([]);
  });

  it.skipIf(elsewhere.length > 0)(
    `the sandbox tests too${elsewhere.length ? ` (skipped: ${elsewhere.length} left to the sandbox work: ${elsewhere.map((h) => `${h.file}:${h.line} ${h.rule}`).join('; ')})` : ''}`,
    () => {
      expect(elsewhere).toEqual([]);
    },
  );

  it('the rules find what they are for', () => {
    expect(RULES[0]!.re.test('expect(() => f()).toThrow();')).toBe(true);
    expect(RULES[0]!.re.test("expect(() => f()).toThrow(/x/);")).toBe(false);
    expect(RULES[1]!.re.test("if (!x) console.warn('skipping the test: no tool');")).toBe(true);
    expect(RULES[2]!.re.test("  if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(file)) {")).toBe(true);
  });
});
