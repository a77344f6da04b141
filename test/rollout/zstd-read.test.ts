// Reading `.jsonl.zst` rollouts: libzstd's streaming decoder (the default where libzstd.so.1
// loads) against the addon's whole-file decoding (forced with `systemZstd: false`, as on a machine
// without libzstd) — the same content, records, listings and warnings; and a head that stops early
// reads a bounded part of a large file. Files are compressed by the zstd CLI, as a user's would be.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { readHead } from '../../rollout/head.js';
import { listSessions } from '../../rollout/list.js';
import { readAllRecords, streamContent, ReadWarning } from '../../rollout/reader.js';
import { zstdStreamDecoder } from '../../native/zstd-stream.js';
import { BWRAP, codex, CODEX_BIN, FIXTURE_HOME, requireTool, run, tempDir, toolSkip } from '../helpers/bin.js';
import { assistantLine, idFor, metaLine, userLine, writeSession } from './store-gen.js';

const HAS_ZSTD = spawnSync('zstd', ['--version']).status === 0;
const ZSTD = toolSkip('zstd', HAS_ZSTD);
beforeAll(() => {
  if (!ZSTD.skip) requireTool('zstd', HAS_ZSTD);
});

const MODES = [
  ['libzstd stream', { systemZstd: true }],
  ['addon fallback', { systemZstd: false }],
] as const;

function zstdCli(data: Buffer, ...args: string[]): Buffer {
  return execFileSync('zstd', ['-q', '-c', ...args], { input: data, maxBuffer: 1 << 30 });
}

async function decodeAll(file: string, systemZstd: boolean): Promise<Buffer> {
  const parts: Buffer[] = [];
  // Chunks are views of reused memory: copy what is kept.
  expect(await streamContent(file, (b) => (parts.push(Buffer.from(b)), true), Infinity, { systemZstd })).toBe('end');
  return Buffer.concat(parts);
}

async function failure(file: string, systemZstd: boolean): Promise<{ code: string; message: string }> {
  const e: unknown = await streamContent(file, () => true, Infinity, { systemZstd }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ReadWarning);
  const w = (e as ReadWarning).warning;
  return { code: w.code, message: w.message };
}

/** Bytes this thread has read through read(2) so far (vitest runs a file's tests on one thread). */
function bytesRead(): number {
  const m = /^rchar: (\d+)$/m.exec(fs.readFileSync('/proc/thread-self/io', 'utf8'));
  if (!m?.[1]) throw new Error('no rchar in /proc/thread-self/io');
  return Number(m[1]);
}

/** Pseudo-random text (compresses ~3:1, so a 48 MiB content makes a ~15 MiB file). */
function noisyLines(count: number, seed: number): string[] {
  let s = seed;
  const word = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8).toString(36);
  };
  return Array.from({ length: count }, (_, i) => assistantLine(Array.from({ length: 60 }, word).join(' '), i + 3));
}

describe.skipIf(ZSTD.skip)(`a .zst rollout read by the libzstd stream and by the addon fallback${ZSTD.note}`, () => {
  it('the real 0.169 fixtures decode to the zstd CLI’s bytes and the same records on both paths', async () => {
    const files = execFileSync('find', [FIXTURE_HOME, '-name', '*.jsonl.zst']).toString().trim().split('\n');
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const want = execFileSync('zstd', ['-dc', f]);
      const seen: unknown[] = [];
      for (const [label, opts] of MODES) {
        expect((await decodeAll(f, opts.systemZstd)).equals(want), `${label}: ${f}`).toBe(true);
        const { records, warnings, ok } = await readAllRecords(f, opts);
        expect({ ok, warnings }, label).toEqual({ ok: true, warnings: [] });
        seen.push(records.map((r) => r.raw));
      }
      expect(seen[0]).toEqual(seen[1]);
    }
  });

  it('several frames one after another (and a skippable frame) read as one content', async () => {
    const dir = tempDir();
    const id = idFor(1);
    const a = Buffer.from([metaLine(id), userLine('first frame')].map((l) => l + '\n').join(''));
    const b = Buffer.from(noisyLines(3000, 7).map((l) => l + '\n').join(''));
    const skippable = Buffer.alloc(8 + 5);
    skippable.writeUInt32LE(0x184d2a50, 0);
    skippable.writeUInt32LE(5, 4);
    const file = path.join(dir, `rollout-2026-01-02T03-04-05-${id}.jsonl.zst`);
    fs.writeFileSync(file, Buffer.concat([zstdCli(a), skippable, zstdCli(b, '-19')]));
    for (const [label, opts] of MODES) {
      expect((await decodeAll(file, opts.systemZstd)).equals(Buffer.concat([a, b])), label).toBe(true);
      const { records, ok } = await readAllRecords(file, opts);
      expect(ok, label).toBe(true);
      expect(records, label).toHaveLength(2 + 3000);
    }
  });

  it('a truncated file is ROLLOUT_ZSTD_CORRUPT "truncated zstd data" on both paths; a cut between frames is whole', async () => {
    const dir = tempDir();
    const content = Buffer.from([metaLine(idFor(2)), userLine('hello'), ...noisyLines(2000, 3)].map((l) => l + '\n').join(''));
    const z = zstdCli(content);
    for (const cut of [3, 20, z.length >> 1, z.length - 1]) {
      const file = path.join(dir, `t${cut}.jsonl.zst`);
      fs.writeFileSync(file, z.subarray(0, cut));
      for (const [label, opts] of MODES) {
        expect(await failure(file, opts.systemZstd), `${label} cut at ${cut}`).toEqual({ code: 'ROLLOUT_ZSTD_CORRUPT', message: 'truncated zstd data' });
        const r = await readAllRecords(file, opts);
        expect(r.ok, label).toBe(false);
        expect(r.warnings.map((w) => w.code), label).toEqual(['ROLLOUT_ZSTD_CORRUPT']);
      }
    }
    const twoFrames = path.join(dir, 'two.jsonl.zst');
    fs.writeFileSync(twoFrames, Buffer.concat([z, z]));
    for (const [, opts] of MODES) expect((await decodeAll(twoFrames, opts.systemZstd)).equals(Buffer.concat([content, content]))).toBe(true);
    // The second frame cut short: the first decodes, then the truncation is reported.
    fs.writeFileSync(twoFrames, Buffer.concat([z, z.subarray(0, 100)]));
    for (const [, opts] of MODES) expect(await failure(twoFrames, opts.systemZstd)).toEqual({ code: 'ROLLOUT_ZSTD_CORRUPT', message: 'truncated zstd data' });
  });

  it('corrupt data and garbage are ROLLOUT_ZSTD_CORRUPT with libzstd’s words on both paths; the next file still reads', async () => {
    const dir = tempDir();
    const content = Buffer.from([metaLine(idFor(3)), userLine('hello'), ...noisyLines(500, 5)].map((l) => l + '\n').join(''));
    const z = zstdCli(content, '--check');
    const corrupt = Buffer.from(z);
    for (let i = 40; i < 240; i++) corrupt[i] = (corrupt[i] ?? 0) ^ 0x5a;
    const garbage = Buffer.from('this is not zstd at all\n');
    const good = path.join(dir, 'good.jsonl.zst');
    fs.writeFileSync(good, z);
    for (const [name, bytes] of [['corrupt', corrupt], ['garbage', garbage], ['empty', Buffer.alloc(0)]] as const) {
      const file = path.join(dir, `${name}.jsonl.zst`);
      fs.writeFileSync(file, bytes);
      const got = [];
      for (const [label, opts] of MODES) {
        const f = await failure(file, opts.systemZstd);
        expect(f.code, `${label} ${name}`).toBe('ROLLOUT_ZSTD_CORRUPT');
        expect(f.message, `${label} ${name}`).toMatch(name === 'empty' ? /^empty \.zst file$/ : /^corrupt zstd data: \S/);
        got.push(f);
        // A stream left mid-error is reset before reuse.
        expect((await decodeAll(good, opts.systemZstd)).equals(content), `${label} after ${name}`).toBe(true);
      }
      if (name !== 'corrupt') expect(got[0]).toEqual(got[1]);
    }
    expect((await failure(path.join(dir, 'garbage.jsonl.zst'), true)).message).toBe('corrupt zstd data: Unknown frame descriptor');
  });

  it('many files read at once each get their own stream and their own bytes', async () => {
    const dir = tempDir();
    const contents = Array.from({ length: 24 }, (_, i) => Buffer.from([metaLine(idFor(i)), userLine(`file ${i}`), ...noisyLines(200 + 50 * i, i + 11)].map((l) => l + '\n').join('')));
    const files = contents.map((c, i) => {
      const f = path.join(dir, `f${i}.jsonl.zst`);
      fs.writeFileSync(f, zstdCli(c));
      return f;
    });
    const got = await Promise.all(files.map((f) => decodeAll(f, true)));
    got.forEach((g, i) => expect(g.equals(contents[i] ?? Buffer.alloc(0)), `file ${i}`).toBe(true));
  });
});

describe.skipIf(ZSTD.skip)(`the head of a large .zst rollout${ZSTD.note}`, () => {
  it('stops after a chunk or two of compressed input with the stream; the fallback reads the whole file, same head', async () => {
    expect(zstdStreamDecoder(), 'this machine has libzstd.so.1').toBeDefined();
    const home = tempDir();
    const id = idFor(9);
    const s = writeSession(home, '2026-01-02T03-04-05', id, [metaLine(id), userLine('the first question'), ...noisyLines(60_000, 1)], { archived: true });
    fs.writeFileSync(`${s.path}.zst`, zstdCli(fs.readFileSync(s.path)));
    fs.rmSync(s.path);
    const file = `${s.path}.zst`;
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(8 << 20);

    const heads = [];
    const reads = [];
    for (const [, opts] of MODES) {
      const before = bytesRead();
      heads.push(await readHead(file, undefined, opts));
      reads.push(bytesRead() - before);
    }
    expect(heads[0]).toMatchObject({ preview: 'the first question', readable: true, cut: false, warnings: [] });
    expect(heads[1]).toEqual(heads[0]);
    expect(reads[0], 'the stream reads one 64 KiB chunk').toBeLessThanOrEqual(128 * 1024);
    expect(reads[1], 'the addon decodes the whole file').toBeGreaterThanOrEqual(size);

    // A head with no user message in reach: the 2 MiB decoded budget bounds what is read.
    let seen = 0;
    const before = bytesRead();
    expect(await streamContent(file, (b) => ((seen += b.length), true), 2 << 20)).toBe('budget');
    expect(seen).toBeLessThanOrEqual((2 << 20) + 256 * 1024);
    expect(bytesRead() - before).toBeLessThan(2 << 20);
    expect(bytesRead() - before).toBeLessThan(size / 4);

    // The listing is the same either way.
    const lists = await Promise.all(MODES.map(([, opts]) => listSessions(home, { scope: 'all', ...opts })));
    expect(lists[0]?.items.map((i) => [i.id, i.preview, i.compressed])).toEqual([[id, 'the first question', true]]);
    expect(lists[1]).toEqual(lists[0]);
  });
});

describe.skipIf(ZSTD.skip)(`the executable${ZSTD.note}`, () => {
  it('lists and searches a store of .zst rollouts the same with CODEX_TS_SYSTEM_ZSTD=0 (the addon) as with libzstd', () => {
    const home = tempDir();
    for (let i = 0; i < 6; i++) {
      const id = idFor(i);
      const s = writeSession(home, `2026-01-0${i + 1}T03-04-05`, id, [metaLine(id), userLine(`question ${i}`), ...noisyLines(300, i)], { archived: i % 2 === 0 });
      fs.writeFileSync(`${s.path}.zst`, zstdCli(fs.readFileSync(s.path)));
      fs.rmSync(s.path);
    }
    // One damaged: the listing skips it with one warning, on both paths.
    const bad = writeSession(home, '2026-01-09T03-04-05', idFor(40), [metaLine(idFor(40)), userLine('lost')], { archived: true });
    fs.writeFileSync(`${bad.path}.zst`, zstdCli(fs.readFileSync(bad.path)).subarray(0, 30));
    fs.rmSync(bad.path);
    const out = (env: Record<string, string>, args: string[]) => {
      const r = codex(args, { env: { ...process.env, CODEX_HOME: home, ...env } });
      expect(r.status, r.stderr).toBe(0);
      return { stdout: r.stdout, stderr: r.stderr };
    };
    const list = out({}, ['sessions', 'list', '--all', '--json']);
    expect(list.stdout.trim().split('\n')).toHaveLength(6);
    expect(list.stderr.trim().split('\n')).toEqual([expect.stringMatching(/\.jsonl\.zst: truncated zstd data \[ROLLOUT_ZSTD_CORRUPT\]$/)]);
    expect(list.stderr).toContain(`${bad.path}.zst`);
    expect(out({ CODEX_TS_SYSTEM_ZSTD: '0' }, ['sessions', 'list', '--all', '--json'])).toEqual(list);
    const search = out({}, ['sessions', 'search', 'question', '--all', '--json']);
    expect(out({ CODEX_TS_SYSTEM_ZSTD: '0' }, ['sessions', 'search', 'question', '--all', '--json'])).toEqual(search);
  });

  it('sessions show takes CODEX_TS_SYSTEM_ZSTD=0 as list and search do: the addon, libzstd never loaded, the same output', () => {
    const home = tempDir();
    const id = idFor(60);
    const s = writeSession(home, '2026-01-10T03-04-05', id, [metaLine(id), userLine('shown question'), ...noisyLines(500, 6)], {});
    fs.writeFileSync(`${s.path}.zst`, zstdCli(fs.readFileSync(s.path)));
    fs.rmSync(s.path);
    const logs = tempDir();
    const show = (extra: Record<string, string>, args: string[], tag: string) => {
      const log = path.join(logs, tag);
      const r = codex(['sessions', 'show', id, ...args], { env: { ...process.env, CODEX_HOME: home, LD_DEBUG: 'libs', LD_DEBUG_OUTPUT: log, ...extra } });
      const ld = fs.readdirSync(logs).filter((f) => f.startsWith(tag)).map((f) => fs.readFileSync(path.join(logs, f), 'utf8')).join('');
      return { status: r.status, stdout: r.stdout, stderr: r.stderr, libzstd: /calling init: \S*libzstd\.so\.1/.test(ld) };
    };
    for (const args of [[], ['--raw'], ['--json']]) {
      const tag = args[0]?.slice(2) ?? 'text';
      const streamed = show({}, args, `stream-${tag}`);
      const addon = show({ CODEX_TS_SYSTEM_ZSTD: '0' }, args, `addon-${tag}`);
      expect(streamed.status, streamed.stderr).toBe(0);
      expect(streamed.stdout).toContain('shown question');
      expect([streamed.libzstd, addon.libzstd], args.join(' ')).toEqual([true, false]);
      expect({ ...addon, libzstd: true }).toEqual(streamed);
    }
  });

  // The real fallback: libzstd.so.1 hidden from the process (an empty file mounted over it by
  // bubblewrap), not the hook. ld.so's log proves which run initialised libzstd.
  const LIBZSTD = ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/lib64'].map((d) => path.join(d, 'libzstd.so.1')).find((f) => fs.existsSync(f));
  it.skipIf(!LIBZSTD || !fs.existsSync(BWRAP))(`without libzstd.so.1 on the machine, lists, shows and searches what it does with it${LIBZSTD ? '' : ' (skipped: no libzstd.so.1 here)'}`, () => {
    const home = tempDir();
    const ids = [idFor(50), idFor(51)];
    const big = writeSession(home, '2026-02-01T03-04-05', ids[0] ?? '', [metaLine(ids[0] ?? ''), userLine('large one'), ...noisyLines(20_000, 4)], { archived: true });
    const small = writeSession(home, '2026-02-02T03-04-05', ids[1] ?? '', [metaLine(ids[1] ?? ''), userLine('small one')], { archived: true });
    for (const s of [big, small]) {
      fs.writeFileSync(`${s.path}.zst`, zstdCli(fs.readFileSync(s.path)));
      fs.rmSync(s.path);
    }
    const bad = writeSession(home, '2026-02-03T03-04-05', idFor(52), [metaLine(idFor(52))], { archived: true });
    fs.renameSync(bad.path, `${bad.path}.zst`);
    const logs = tempDir();
    const go = (hide: boolean, args: string[]) => {
      const log = path.join(logs, `${hide ? 'hidden' : 'there'}-${args[1]}`);
      const env = { ...process.env, CODEX_HOME: home, LD_DEBUG: 'libs', LD_DEBUG_OUTPUT: log };
      const r = hide
        ? run(BWRAP, ['--dev-bind', '/', '/', '--ro-bind', '/dev/null', fs.realpathSync(LIBZSTD ?? ''), '--', CODEX_BIN, ...args], { env })
        : run(CODEX_BIN, args, { env });
      const ld = fs.readdirSync(logs).filter((f) => f.startsWith(path.basename(log))).map((f) => fs.readFileSync(path.join(logs, f), 'utf8')).join('');
      return { status: r.status, stdout: r.stdout, stderr: r.stderr, libzstd: /calling init: \S*libzstd\.so\.1/.test(ld) };
    };
    for (const args of [['sessions', 'list', '--archived', '--json'], ['sessions', 'show', ids[0] ?? '', '--raw'], ['sessions', 'search', 'one', '--archived', '--json']]) {
      const there = go(false, args);
      const hidden = go(true, args);
      expect(there.status, there.stderr).toBe(0);
      expect(there.libzstd, `${args[1]} loads libzstd when it is there`).toBe(true);
      expect(hidden.libzstd, `${args[1]} runs without libzstd`).toBe(false);
      expect({ ...hidden, libzstd: true }, args.join(' ')).toEqual(there);
    }
    expect(go(false, ['sessions', 'list', '--archived']).stderr).toContain(`${bad.path}.zst: corrupt zstd data`);
  });
});
