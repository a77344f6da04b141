import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errText } from './errors.js';
import { removeFile, tempBeside, writeFileAtomic } from './durable.js';

const dirs: string[] = [];
const scratch = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the file with the exact mode asked (umask aside) and leaves no temp', () => {
    const d = scratch();
    const f = path.join(d, 'config.toml');
    fs.writeFileSync(f, 'old\n');
    const umask = process.umask(0o077);
    try {
      expect(writeFileAtomic(f, 'new\n', { mode: 0o640, tag: 't' })).toBe(true);
    } finally {
      process.umask(umask);
    }
    expect(fs.readFileSync(f, 'utf8')).toBe('new\n');
    expect(fs.statSync(f).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(d)).toEqual(['config.toml']);
  });

  it('keeps mode and times of `like`; a veto leaves the target as it was and no temp', () => {
    const d = scratch();
    const f = path.join(d, 'a.jsonl');
    fs.writeFileSync(f, 'x\n', { mode: 0o600 });
    fs.utimesSync(f, new Date(1_000_000), new Date(2_000_000));
    const like = fs.statSync(f);
    expect(writeFileAtomic(f, Buffer.from('y\n'), { like, tag: 't' })).toBe(true);
    const now = fs.statSync(f);
    expect([now.mode & 0o777, now.mtimeMs]).toEqual([0o600, 2_000_000]);
    expect(writeFileAtomic(f, 'z\n', { tag: 't', beforeRename: () => false })).toBe(false);
    expect(fs.readFileSync(f, 'utf8')).toBe('y\n');
    expect(fs.readdirSync(d)).toEqual(['a.jsonl']);
  });

  it('a failed write throws the errno error and removes its temp', () => {
    const d = scratch();
    const f = path.join(d, 'missing-dir', 'f');
    expect(() => writeFileAtomic(f, 'x', { tag: 't' })).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(path.basename(tempBeside(f, 'tag'))).toMatch(/^\.tag-f\.\d+\.[0-9a-f]{8}\.tmp$/);
  });
});

describe('errText', () => {
  it('file errors as 0.169 words them, the code left out; others with their cause', () => {
    expect(errText(Object.assign(new Error("ENOENT: no such file or directory, open '/x'"), { code: 'ENOENT' }))).toBe('No such file or directory');
    expect(errText(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }))).toBe('fetch failed (connect ECONNREFUSED 127.0.0.1:9)');
    expect(errText(new Error('plain'))).toBe('plain');
    expect(errText('a string')).toBe('a string');
    expect(errText(undefined)).toBe('undefined');
  });
});

describe('removeFile', () => {
  it('removes a file, is quiet when there is none, and throws for anything else (a directory)', () => {
    const d = scratch();
    const f = path.join(d, 'f');
    fs.writeFileSync(f, 'x');
    removeFile(f);
    expect(fs.existsSync(f)).toBe(false);
    expect(removeFile(f)).toBeUndefined(); // already gone
    expect(() => removeFile(d)).toThrow(expect.objectContaining({ code: expect.stringMatching(/^(EISDIR|EPERM)$/) }));
    expect(fs.statSync(d).isDirectory()).toBe(true);
  });
});
