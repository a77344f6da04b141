// RawLoader against node's fs and the zstd CLI over real files: every size class (empty, one byte,
// exactly a region's capacity, larger than it), plain files with and without a final line feed,
// real zstd frames, and each thing it must refuse so the careful path words it (missing file,
// directory, FIFO, several frames, damage, truncation, empty .zst, over the size cap).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rawIo } from '../../native/index.js';
import { BufferRegions, RawLoader, type LoadRegions } from './raw-load.js';
import { foldScanModule, FoldScanner } from './fold-scan.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raw-load-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let seq = 0;
function file(bytes: Buffer | string, zst = false): string {
  const p = path.join(dir, `f${seq++}`);
  fs.writeFileSync(p, bytes);
  if (!zst) return p;
  execFileSync('zstd', ['-q', '-3', p, '-o', `${p}.zst`]);
  return `${p}.zst`;
}

function text(n: number, endLf = true): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = i % 97 === 96 ? 10 : 0x61 + (i % 26);
  if (n > 0) b[n - 1] = endLf ? 10 : 0x7a;
  return b;
}

const regionKinds: [string, () => LoadRegions][] = [
  ['plain buffers', () => new BufferRegions()],
  ['the scanner memory', () => new FoldScanner(foldScanModule(), Buffer.from('needle'))],
];

describe.each(regionKinds)('RawLoader over %s', (_, regions) => {
  const raw = rawIo();
  const loader = new RawLoader(raw!.io, regions(), 8 << 20);

  it('is available here, with libzstd', () => {
    expect(raw).toBeDefined();
    expect(loader.decodes).toBe(true);
  });

  it('loads plain files of every size byte for byte, growing its memory as needed', () => {
    // 1 MiB is the dst region's first capacity; 3 MiB + 5 makes it grow twice.
    for (const n of [0, 1, 2, 4095, 65536, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 5]) {
      for (const endLf of [true, false]) {
        const want = text(n, endLf);
        const got = loader.load(file(want), false);
        expect(got, `${n} ${endLf}`).toBe(n);
        expect(Buffer.compare(loader.content(got), want), `${n} ${endLf}`).toBe(0);
      }
    }
  });

  it('decodes a zstd file into the content region, whatever size the compressed bytes have', () => {
    for (const n of [1, 1000, 70_000, (1 << 20) + 17, 3 << 20]) {
      const want = text(n);
      // Incompressible bytes too: the .zst is then larger than its src region's first capacity.
      const noise = Buffer.concat([want, Buffer.from(Array.from({ length: n }, (_, i) => (i * 7919) % 251))]);
      for (const bytes of [want, noise]) {
        const got = loader.load(file(bytes, true), true);
        expect(got).toBe(bytes.length);
        expect(Buffer.compare(loader.content(got), bytes)).toBe(0);
      }
    }
  });

  it('finds the end of the first line within the content only', () => {
    expect(loader.load(file('{"a":1}\n{"b":2}\n'), false)).toBe(16);
    expect(loader.firstLineEnd(16)).toBe(7);
    // Left-over bytes beyond the content (with line feeds in them) are not looked at.
    expect(loader.load(file('no line feed'), false)).toBe(12);
    expect(loader.firstLineEnd(12)).toBe(-1);
  });

  it('refuses what the careful path must word: missing, directory, several frames, damage, truncation, empty, too large', () => {
    const whole = fs.readFileSync(file(text(200_000), true));
    const twoFrames = Buffer.concat([execFileSync('zstd', ['-q', '-c'], { input: 'a\n' }), execFileSync('zstd', ['-q', '-c'], { input: 'b\n' })]);
    const damaged = Buffer.from(whole);
    damaged.fill(0x55, 20, 60);
    expect(loader.load(path.join(dir, 'absent'), false)).toBe(-1);
    expect(loader.load(path.join(dir, 'absent.zst'), true)).toBe(-1);
    expect(loader.load(dir, false)).toBe(-1);
    expect(loader.load(file(twoFrames), true)).toBe(-1);
    expect(loader.load(file(damaged), true)).toBe(-1);
    expect(loader.load(file(whole.subarray(0, whole.length - 9)), true)).toBe(-1);
    expect(loader.load(file(''), true)).toBe(-1);
    expect(loader.load(file(text(9 << 20), true), true)).toBe(-1);
    // And still works after each refusal.
    expect(loader.load(file(whole), true)).toBe(200_000);
  });

  it('does not hang on a FIFO with a rollout name (nothing is written to it)', () => {
    const fifo = path.join(dir, `fifo${seq++}`);
    execFileSync('mkfifo', [fifo]);
    expect(loader.load(fifo, false)).toBeLessThanOrEqual(0);
  });
});
