import { describe, expect, it } from 'vitest';
import { parsePatch } from './parser.js';
import { touchedPaths } from './paths.js';

const wrap = (b: string) => `*** Begin Patch\n${b}\n*** End Patch`;

describe('parsePatch', () => {
  it('parses add, delete, update with move, headers and End of File', () => {
    const p = parsePatch(wrap('*** Add File: a.txt\n+x\n+y\n*** Delete File: b.txt\n*** Update File: c.txt\n*** Move to: d/c.txt\n@@ fn f()\n ctx\n-old\n+new\n*** End of File'));
    expect(p.hunks).toEqual([
      { type: 'add', path: 'a.txt', contents: 'x\ny\n', patchLine: 2 },
      { type: 'delete', path: 'b.txt', patchLine: 5 },
      {
        type: 'update',
        path: 'c.txt',
        movePath: 'd/c.txt',
        patchLine: 6,
        chunks: [
          {
            header: 'fn f()',
            endOfFile: true,
            patchLine: 8,
            lines: [
              { kind: 'context', text: 'ctx' },
              { kind: 'remove', text: 'old' },
              { kind: 'add', text: 'new' },
            ],
          },
        ],
      },
    ]);
  });

  it('accepts padded markers, CRLF patches, a heredoc wrapper and one Environment ID', () => {
    expect(parsePatch(' *** Begin Patch \r\n  *** Delete File: x\r\n*** End Patch ').hunks).toEqual([{ type: 'delete', path: 'x', patchLine: 2 }]);
    expect(parsePatch("<<'EOF'\n*** Begin Patch\n*** Delete File: x\n*** End Patch\nEOF\n").hunks).toHaveLength(1);
    expect(parsePatch(wrap('*** Environment ID: abc\n*** Delete File: x')).environmentId).toBe('abc');
    expect(() => parsePatch(wrap('*** Environment ID: a\n*** Environment ID: b\n*** Delete File: x'))).toThrow(/more than once/);
  });

  it.each([
    ['bad', /first line of the patch must be/],
    ['*** Begin Patch\n*** Delete File: x', /last line of the patch must be/],
    [wrap('*** Frobnicate File: x'), /line 2: '\*\*\* Frobnicate File: x' is not a valid hunk header/],
    [wrap('*** Update File: x'), /Update file hunk for path 'x' is empty/],
    [wrap('*** Update File: x\n@@\n@@\n-a'), /Unexpected line found in update hunk: '@@'/],
    [wrap('*** Update File: x\n-a\nnope\n-b'), /Expected update hunk to start with a @@ context marker, got: 'nope'/],
  ])('rejects %j', (text, re) => {
    expect(() => parsePatch(text)).toThrow(re);
  });

  it('an empty line inside a chunk is an empty context line', () => {
    const p = parsePatch(wrap('*** Update File: x\n a\n\n-b'));
    const [h] = p.hunks;
    expect(h?.type === 'update' && h.chunks[0]?.lines.map((l) => l.kind + ':' + l.text)).toEqual(['context:a', 'context:', 'remove:b']);
  });
});

describe('touchedPaths', () => {
  it('lists adds, deletes, updates, move sources and destinations, flagging paths outside cwd', () => {
    const p = parsePatch(wrap('*** Add File: a\n+x\n*** Delete File: ../b\n*** Update File: c\n*** Move to: /abs/d\n@@\n-x\n+y\n*** Update File: e\n@@\n+z'));
    expect(touchedPaths(p, '/w')).toEqual([
      { path: '/w/a', display: 'a', role: 'add', outsideCwd: false },
      { path: '/b', display: '../b', role: 'delete', outsideCwd: true },
      { path: '/w/c', display: 'c', role: 'move-source', outsideCwd: false },
      { path: '/abs/d', display: '/abs/d', role: 'move-destination', outsideCwd: true },
      { path: '/w/e', display: 'e', role: 'update', outsideCwd: false },
    ]);
  });
});
