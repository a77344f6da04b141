// parseRolloutName checks names by character position; NAME_RE is the documented pattern. The two
// must agree on every name: valid ones, and each valid one with any single character changed.
import { describe, expect, it } from 'vitest';
import { NAME_RE, parseRolloutName } from './paths.js';

function viaRegex(name: string) {
  const m = NAME_RE.exec(name);
  if (!m) return undefined;
  const compressed = m[3] !== undefined;
  return { stamp: m[1]!, id: m[2]!.toLowerCase(), compressed, stem: name.slice(0, name.length - (compressed ? 10 : 6)) };
}

const VALID = [
  'rollout-2026-05-11T07-00-01-01a20000-0008-7abc-8def-0123456789ab.jsonl',
  'rollout-2026-05-11T07-00-01-01a20000-0008-7abc-8def-0123456789ab.jsonl.zst',
  'rollout-1999-12-31T23-59-59-ABCDEF01-2345-6789-AbCd-ef0123456789.jsonl',
  'rollout-0000-00-00T00-00-00-00000000-0000-0000-0000-000000000000.jsonl.zst',
];
// Characters that sit at the edges of each class the parser tests.
const PROBES = ['/', '0', '9', ':', '@', 'A', 'F', 'G', '`', 'a', 'f', 'g', '-', '.', 'T', 't', 'z', ' ', '\u0660', '\u{1F600}'];

describe('parseRolloutName', () => {
  it('accepts the valid names as the pattern does', () => {
    for (const name of VALID) {
      expect(parseRolloutName(name)).toEqual(viaRegex(name));
      expect(parseRolloutName(name)).toBeDefined();
    }
  });

  it('agrees with the pattern on every one-character change, deletion and insertion', () => {
    let checked = 0;
    for (const name of VALID) {
      for (let i = 0; i <= name.length; i++) {
        const variants = [name.slice(0, i) + name.slice(i + 1)];
        for (const p of PROBES) variants.push(name.slice(0, i) + p + name.slice(i + 1), name.slice(0, i) + p + name.slice(i));
        for (const v of variants) {
          expect(parseRolloutName(v), v).toEqual(viaRegex(v));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });

  it('rejects names that are not rollouts', () => {
    for (const name of ['', 'rollout-', 'notes.txt', `${VALID[0]}.bak`, `x${VALID[0]}`, VALID[0]!.replace('.jsonl', '.json')]) expect(parseRolloutName(name)).toBeUndefined();
  });
});
