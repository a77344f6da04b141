import { describe, expect, it } from 'vitest';
import { CodexError } from '../../protocol/index.js';
import { deepMerge, getPath, parseOverride, parseOverrideValue, setPath, splitKeyPath } from './overrides.js';
import type { ConfigTable } from './types.js';

describe('-c overrides', () => {
  it('splits dotted paths with quoted segments', () => {
    expect(splitKeyPath('a.b.c')).toEqual(['a', 'b', 'c']);
    expect(splitKeyPath('model_providers."my.provider".base_url')).toEqual(['model_providers', 'my.provider', 'base_url']);
    expect(splitKeyPath("permissions.'x y'")).toEqual(['permissions', 'x y']);
    expect(() => splitKeyPath('a..b')).toThrow(CodexError);
    expect(() => splitKeyPath('a."b')).toThrow(CodexError);
  });

  it('parses the value as TOML, else keeps the literal string', () => {
    expect(parseOverrideValue('true')).toBe(true);
    expect(parseOverrideValue('42')).toBe(42);
    expect(parseOverrideValue('"o3"')).toBe('o3');
    expect(parseOverrideValue('o3')).toBe('o3');
    expect(parseOverrideValue('["a", "b"]')).toEqual(['a', 'b']);
    expect(parseOverrideValue('{ x = 1 }')).toEqual({ x: 1 });
    expect(parseOverrideValue('all')).toBe('all');
    expect(parseOverrideValue('http://127.0.0.1:1/v1')).toBe('http://127.0.0.1:1/v1');
  });

  it('rejects a spec without key=value', () => {
    expect(() => parseOverride('novalue')).toThrow(/key=value/);
    expect(() => parseOverride('=1')).toThrow(/key=value/);
    expect(parseOverride('a.b=c=d')).toEqual({ path: ['a', 'b'], value: 'c=d' });
  });

  it('sets nested paths, replacing a scalar in the way', () => {
    const t: ConfigTable = { a: 1, features: { x: true } };
    setPath(t, ['features', 'y'], false);
    setPath(t, ['a', 'b'], 'z');
    expect(t).toEqual({ a: { b: 'z' }, features: { x: true, y: false } });
    expect(getPath(t, ['a', 'b'])).toBe('z');
    expect(getPath(t, ['a', 'b', 'c'])).toBeUndefined();
  });

  it('deep-merges tables and replaces other values', () => {
    expect(deepMerge({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, e: 2 })).toEqual({ a: { b: 1, c: [2] }, d: 1, e: 2 });
  });
});
