// `codex sessions export`: the exact original JSONL bytes (decompressing a .zst), or Markdown.
import { readAllRecords, readContent, ReadWarning } from '../reader.js';
import { resolveSession } from '../lookup.js';
import { CodexError } from '../../protocol/index.js';
import type { StoreWarning } from '../warnings.js';
import { renderMarkdown } from './export-md.js';

export type ExportFormat = 'md' | 'jsonl';

export interface ExportResult {
  id: string;
  path: string;
  bytes: Buffer;
  warnings: StoreWarning[];
}

export async function exportSession(home: string, idOrName: string, format: ExportFormat): Promise<ExportResult> {
  const { entry, name } = resolveSession(home, idOrName);
  switch (format) {
    case 'jsonl':
      try {
        return { id: entry.id, path: entry.path, bytes: await readContent(entry.path), warnings: [] };
      } catch (e) {
        if (e instanceof ReadWarning) throw new CodexError(e.warning.code, `${e.warning.path}: ${e.warning.message}`);
        throw e;
      }
    case 'md': {
      const { records, warnings, ok } = await readAllRecords(entry.path);
      if (!ok && records.length === 0) {
        const w = warnings[0];
        throw new CodexError(w?.code ?? 'ROLLOUT_CORRUPT', `${entry.path}: ${w?.message ?? 'cannot read'}`);
      }
      return { id: entry.id, path: entry.path, bytes: Buffer.from(renderMarkdown(records, { path: entry.path, name })), warnings };
    }
  }
}
