// Pure parts of session management: damage analysis, pair relations, index rewrite, prune plan,
// storage report, Markdown rendering.
import { describe, expect, it } from 'vitest';
import { parseRecord, type RolloutRecord } from '../format.js';
import { patchToDiff, renderMarkdown, truncate } from './export-md.js';
import { planPrune } from './prune-plan.js';
import { buildStorageReport } from './storage.js';
import { parseRolloutName } from '../paths.js';
import { analyzeContent, relate, threadsOf, withoutIds, type StoreFile } from '../store/index.js';

const rec = (o: number, type = 'event_msg', payload: unknown = { type: 'x' }) => JSON.stringify({ timestamp: '2026-01-01T00:00:00.000Z', ordinal: o, type, payload });

describe('analyzeContent', () => {
  it('leaves healthy content alone', () => {
    const text = [rec(0), rec(1), rec(2)].join('\n') + '\n';
    const r = analyzeContent(Buffer.from(text));
    expect(r.repaired).toBeUndefined();
    expect(r.damage).toMatchObject({ torn: 0, corrupt: 0, truncated: false, recordsKept: 3 });
  });

  it('splits a torn line, keeps both whole records around it, drops only the half', () => {
    const half = rec(1).slice(0, 37);
    const text = [rec(0), half + rec(2), rec(3)].join('\n') + '\n';
    const r = analyzeContent(Buffer.from(text));
    expect(r.damage).toMatchObject({ torn: 1, corrupt: 0, truncated: false, recordsKept: 3, lines: [2], droppedBytes: 37 });
    expect(r.repaired!.toString()).toBe([rec(0), rec(2), rec(3)].join('\n') + '\n');
  });

  it('drops a truncated last line and a corrupt middle line, keeping the bytes of whole lines exactly', () => {
    const odd = '{"timestamp":"t","type":"x","payload":{"s":"caf\\u00e9 ✅"}}';
    const text = [rec(0), 'garbage', odd, rec(3).slice(0, 20)].join('\n');
    const r = analyzeContent(Buffer.from(text));
    expect(r.damage).toMatchObject({ torn: 0, corrupt: 1, truncated: true, recordsKept: 2 });
    expect(r.repaired!.toString()).toBe(`${rec(0)}\n${odd}\n`);
  });

  it('a whole last record without its newline is not damage', () => {
    const r = analyzeContent(Buffer.from(`${rec(0)}\n${rec(1)}`));
    expect(r.damage.truncated).toBe(false);
    expect(r.damage.recordsKept).toBe(2);
  });
});

describe('relate', () => {
  const a = Buffer.from('one\ntwo\n');
  it.each([
    [a, a, 'identical'],
    [Buffer.from('one\n'), a, 'plain_is_prefix'],
    [a, Buffer.from('one\n'), 'zst_is_prefix'],
    [Buffer.from('one\nTWO\n'), a, 'diverged'],
  ] as const)('%#', (plain, zst, want) => expect(relate(plain, zst)).toBe(want));
});

describe('withoutIds', () => {
  it('drops the lines of the given ids (any case) and keeps the rest byte for byte', () => {
    const lines = [
      JSON.stringify({ id: 'AAA', thread_name: 'x', updated_at: 't' }),
      'not json',
      JSON.stringify({ id: 'bbb', thread_name: 'y', updated_at: 't' }),
      '',
      JSON.stringify({ id: 'aaa', thread_name: 'z', updated_at: 't' }),
    ];
    const r = withoutIds(lines.join('\n') + '\n', new Set(['aaa']));
    expect(r.removed).toBe(2);
    expect(r.text).toBe([lines[1], lines[2], lines[3]].join('\n') + '\n');
    expect(withoutIds(lines[0] + '\n', new Set(['aaa']))).toEqual({ text: '', removed: 1 });
  });
});

function file(name: string, root: 'sessions' | 'archived', size: number, mtimeMs: number): StoreFile {
  return { path: `/h/${root}/${name}`, rel: `${root}/${name}`, root, name, size, mtimeMs, ctimeMs: mtimeMs, rollout: parseRolloutName(name) };
}
const ID1 = '01a21319-0637-7142-b9ea-8749f1dbfa0c';
const ID2 = '01a21319-0727-7303-b5cd-f1d687046d00';
const ID3 = '01a21319-0953-7381-915e-776890627626';
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25);

describe('planPrune', () => {
  const files = [
    file(`rollout-2026-01-02T10-00-00-${ID1}.jsonl`, 'archived', 10, NOW - 40 * DAY),
    file(`rollout-2026-01-02T10-00-00-${ID1}.jsonl.zst`, 'archived', 3, NOW - 50 * DAY),
    file(`rollout-2026-01-03T10-00-00-${ID2}.jsonl`, 'sessions', 20, NOW - 100 * DAY),
    file(`rollout-2026-01-04T10-00-00-${ID3}.jsonl`, 'archived', 30, NOW - 5 * DAY),
    file('notes.txt', 'sessions', 99, NOW - 400 * DAY),
  ];
  const threads = threadsOf(files);
  it('groups both forms of a thread, ages it by its newest file, oldest first', () => {
    const plan = planPrune(threads, { now: NOW, olderThanMs: 30 * DAY, archivedOnly: false });
    expect(plan.map((t) => [t.id, t.bytes, t.files.length])).toEqual([
      [ID2, 20, 1],
      [ID1, 13, 2],
    ]);
  });
  it('--archived-only and a longer age', () => {
    expect(planPrune(threads, { now: NOW, olderThanMs: 30 * DAY, archivedOnly: true }).map((t) => t.id)).toEqual([ID1]);
    expect(planPrune(threads, { now: NOW, olderThanMs: 45 * DAY, archivedOnly: false }).map((t) => t.id)).toEqual([ID2]);
  });
});

describe('buildStorageReport', () => {
  it('sums per tree and month, ranks the largest, estimates savings from the ratio', () => {
    const files = [
      file(`rollout-2026-01-02T10-00-00-${ID1}.jsonl.zst`, 'archived', 100, 0),
      file(`rollout-2026-02-03T10-00-00-${ID2}.jsonl`, 'sessions', 4000, 0),
      file(`rollout-2026-02-04T10-00-00-${ID3}.jsonl`, 'archived', 2000, 0),
      file('.rollout-materialize-x.1.ab.tmp', 'sessions', 7, 0),
    ];
    const r = buildStorageReport('/h', files, { ratio: 4, method: 'sampled', sample_files: 2, sample_bytes: 6000 }, 2);
    expect(r.total_bytes).toBe(6107);
    expect(r.sessions).toBe(3);
    expect(r.roots.sessions).toMatchObject({ bytes: 4007, plain_bytes: 4000, other_bytes: 7, other_files: 1 });
    expect(r.roots.archived).toMatchObject({ plain_bytes: 2000, compressed_bytes: 100, compressed_files: 1 });
    expect(r.months.map((m) => [m.month, m.sessions_bytes, m.archived_bytes])).toEqual([
      ['2026-02', 4000, 2000],
      ['2026-01', 0, 100],
    ]);
    expect(r.largest.map((l) => l.id)).toEqual([ID2, ID3]);
    expect(r.compression).toMatchObject({ plain_bytes: 6000, estimated_bytes_after: 1500, estimated_savings: 4500, archived_plain_bytes: 2000, archived_estimated_savings: 1500 });
  });
});

describe('Markdown', () => {
  const records = (lines: string[]): RolloutRecord[] => lines.map((l) => parseRecord(l)!);
  it('falls back to events for old rollouts without response items, and fences outputs safely', () => {
    const md = renderMarkdown(
      records([
        rec(0, 'session_meta', { id: ID1, cwd: '/p', source: 'cli' }),
        rec(1, 'event_msg', { type: 'user_message', message: 'hello there' }),
        rec(2, 'event_msg', { type: 'exec_command_end', call_id: 'c1', command: ['bash', '-lc', 'cat README'], aggregated_output: '```\ninside\n```\n', exit_code: 3 }),
        rec(3, 'response_item', { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', 'cat README'] }), call_id: 'c1' }),
        rec(4, 'event_msg', { type: 'agent_message', message: 'bye' }),
      ]),
    );
    expect(md).toContain('## User');
    expect(md).toContain('hello there');
    expect(md).toContain('```sh\ncat README\n```');
    expect(md).toContain('Output (exit 3):\n\n````\n```\ninside\n```\n````');
    expect(md).toContain('## Assistant');
  });

  it('patchToDiff and truncate', () => {
    expect(patchToDiff('*** Begin Patch\n*** Delete File: a.txt\n*** Update File: b\n*** Move to: c\n@@\n-x\n+y\n*** End Patch\n')).toBe(
      '--- a/a.txt\n+++ /dev/null\n--- a/b\n+++ b/b\nrename to c\n@@\n-x\n+y',
    );
    const long = Array.from({ length: 100 }, (_, i) => `l${i}`).join('\n');
    const t = truncate(long, 8, 10_000);
    expect(t.text.split('\n')[0]).toBe('l0');
    expect(t.text).toContain('l99');
    expect(t.text).not.toContain('l50');
    expect(t.note).toMatch(/^output truncated: 100 lines/);
    expect(truncate('short', 8, 100)).toEqual({ text: 'short' });
  });
});
