// `codex sessions storage`: what the store holds, where the bytes are, and what compressing the
// plain rollouts would save. Built from a stat-only walk; the saving is estimated from a small
// sample compressed in memory (see estimate.ts), never by compressing the store.
import { type StoreFile, type StoreRoot, stampMonth } from '../store/index.js';

export interface RootUsage {
  bytes: number;
  files: number;
  plain_bytes: number;
  plain_files: number;
  compressed_bytes: number;
  compressed_files: number;
  /** Files that are not rollouts (temps, strays). */
  other_bytes: number;
  other_files: number;
}

export interface MonthUsage {
  month: string;
  sessions_bytes: number;
  archived_bytes: number;
  plain_bytes: number;
  compressed_bytes: number;
  files: number;
}

export interface LargestSession {
  id: string;
  path: string;
  bytes: number;
  compressed: boolean;
  archived: boolean;
  created: string;
}

export interface CompressionEstimate {
  /** input bytes / zstd -3 output bytes. */
  ratio: number;
  /** `sampled` (compressed a sample now) or `default` (no plain file to sample). */
  method: 'sampled' | 'default';
  sample_files: number;
  sample_bytes: number;
}

export interface StorageReport {
  home: string;
  total_bytes: number;
  files: number;
  sessions: number;
  roots: Record<StoreRoot, RootUsage>;
  months: MonthUsage[];
  largest: LargestSession[];
  compression: CompressionEstimate & {
    plain_bytes: number;
    estimated_bytes_after: number;
    estimated_savings: number;
    /** The part the compression worker would take: plain rollouts in archived_sessions/. */
    archived_plain_bytes: number;
    archived_estimated_savings: number;
  };
}

function emptyRoot(): RootUsage {
  return { bytes: 0, files: 0, plain_bytes: 0, plain_files: 0, compressed_bytes: 0, compressed_files: 0, other_bytes: 0, other_files: 0 };
}

export function buildStorageReport(home: string, files: readonly StoreFile[], estimate: CompressionEstimate, largestCount = 10): StorageReport {
  const roots: Record<StoreRoot, RootUsage> = { sessions: emptyRoot(), archived: emptyRoot() };
  const months = new Map<string, MonthUsage>();
  const ids = new Set<string>();
  let total = 0;
  for (const f of files) {
    total += f.size;
    const r = roots[f.root];
    r.bytes += f.size;
    r.files++;
    if (!f.rollout) {
      r.other_bytes += f.size;
      r.other_files++;
      continue;
    }
    ids.add(f.rollout.id);
    if (f.rollout.compressed) {
      r.compressed_bytes += f.size;
      r.compressed_files++;
    } else {
      r.plain_bytes += f.size;
      r.plain_files++;
    }
    const key = stampMonth(f.rollout.stamp);
    let m = months.get(key);
    if (!m) months.set(key, (m = { month: key, sessions_bytes: 0, archived_bytes: 0, plain_bytes: 0, compressed_bytes: 0, files: 0 }));
    m.files++;
    if (f.root === 'sessions') m.sessions_bytes += f.size;
    else m.archived_bytes += f.size;
    if (f.rollout.compressed) m.compressed_bytes += f.size;
    else m.plain_bytes += f.size;
  }
  const largest = topBySize(files, largestCount).map((f) => ({
    id: f.rollout!.id,
    path: f.path,
    bytes: f.size,
    compressed: f.rollout!.compressed,
    archived: f.root === 'archived',
    created: f.rollout!.stamp,
  }));
  const plain = roots.sessions.plain_bytes + roots.archived.plain_bytes;
  const after = Math.round(plain / estimate.ratio);
  const archivedPlain = roots.archived.plain_bytes;
  return {
    home,
    total_bytes: total,
    files: files.length,
    sessions: ids.size,
    roots,
    months: [...months.values()].sort((a, b) => (a.month < b.month ? 1 : -1)),
    largest,
    compression: {
      ...estimate,
      plain_bytes: plain,
      estimated_bytes_after: after,
      estimated_savings: plain - after,
      archived_plain_bytes: archivedPlain,
      archived_estimated_savings: archivedPlain - Math.round(archivedPlain / estimate.ratio),
    },
  };
}

/** The n largest rollouts without sorting the whole store. */
function topBySize(files: readonly StoreFile[], n: number): StoreFile[] {
  const top: StoreFile[] = [];
  for (const f of files) {
    if (!f.rollout) continue;
    if (top.length < n) {
      top.push(f);
      if (top.length === n) top.sort((a, b) => b.size - a.size);
      continue;
    }
    if (f.size <= top[n - 1]!.size) continue;
    top[n - 1] = f;
    for (let i = n - 1; i > 0 && top[i]!.size > top[i - 1]!.size; i--) [top[i], top[i - 1]] = [top[i - 1]!, top[i]!];
  }
  return top.length < n ? top.sort((a, b) => b.size - a.size) : top;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}

export function renderStorageText(r: StorageReport): string {
  const b = formatBytes;
  const out: string[] = [];
  out.push(`Session store ${r.home}: ${b(r.total_bytes)} in ${r.files} files (${r.sessions} sessions)`);
  out.push('');
  const row = (name: string, u: RootUsage) =>
    `  ${name.padEnd(19)} ${b(u.bytes).padStart(10)}  plain ${b(u.plain_bytes).padStart(10)} (${u.plain_files})  compressed ${b(u.compressed_bytes).padStart(10)} (${u.compressed_files})` +
    (u.other_files ? `  other ${b(u.other_bytes)} (${u.other_files})` : '');
  out.push(row('sessions/', r.roots.sessions));
  out.push(row('archived_sessions/', r.roots.archived));
  if (r.months.length) {
    out.push('', 'By month (created):');
    out.push(`  ${'month'.padEnd(8)} ${'active'.padStart(10)} ${'archived'.padStart(10)} ${'plain'.padStart(10)} ${'compressed'.padStart(10)} ${'files'.padStart(7)}`);
    for (const m of r.months) {
      out.push(
        `  ${m.month.padEnd(8)} ${b(m.sessions_bytes).padStart(10)} ${b(m.archived_bytes).padStart(10)} ${b(m.plain_bytes).padStart(10)} ${b(m.compressed_bytes).padStart(10)} ${String(m.files).padStart(7)}`,
      );
    }
  }
  if (r.largest.length) {
    out.push('', 'Largest sessions:');
    for (const l of r.largest) {
      const tags = [l.archived ? 'archived' : 'active', l.compressed ? 'zst' : 'plain'].join(', ');
      out.push(`  ${b(l.bytes).padStart(10)}  ${l.id}  ${l.created}  (${tags})`);
    }
  }
  const c = r.compression;
  out.push('');
  if (c.plain_bytes === 0) {
    out.push('Compression: every rollout is already compressed.');
  } else {
    const how = c.method === 'sampled' ? `ratio ${c.ratio.toFixed(1)}× measured on ${c.sample_files} files` : `assumed ratio ${c.ratio.toFixed(1)}×`;
    out.push(`Compression (zstd -3, ${how}): ${b(c.plain_bytes)} of plain rollouts would take about ${b(c.estimated_bytes_after)}, saving ~${b(c.estimated_savings)}.`);
    out.push(
      `  Of that, archived plain rollouts (what the compression worker handles): ${b(c.archived_plain_bytes)}, saving ~${b(c.archived_estimated_savings)}.`,
    );
  }
  return out.join('\n') + '\n';
}
