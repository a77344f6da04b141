// The `codex resume` picker: the store's first page, newest first; typing runs the store's
// full-text search (a newer keystroke supersedes the running search, whose hits are dropped);
// Tab toggles archived sessions; Enter resumes.
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text, useInput, useStdout } from 'ink';
import { listSessions, searchSessions, type SessionSummary } from '../../rollout/index.js';

const h = React.createElement;

export interface PickerRow {
  id: string;
  when: string;
  cwd: string;
  provider: string;
  text: string;
}

export function rowOfSummary(s: SessionSummary): PickerRow {
  const preview = s.previewUnavailable && !s.preview ? '(no user message in the head)' : s.preview.replace(/\s+/g, ' ').trim();
  return { id: s.id, when: localTime(s.createdAt), cwd: s.cwd ?? '', provider: s.modelProvider ?? '', text: (s.name ? `[${s.name}] ` : '') + preview };
}

export function localTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso.slice(0, 16);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export interface PickerProps {
  home: string;
  onSelect: (id: string) => void;
  onCancel: () => void;
  /** Rows of the first page (defaults to what fits on the screen). */
  pageSize?: number;
}

export function Picker(p: PickerProps): React.ReactElement {
  const { stdout } = useStdout();
  const rowsFit = Math.max(3, (stdout?.rows ?? 24) - 6);
  const pageSize = p.pageSize ?? rowsFit;
  const [query, setQuery] = useState('');
  const [archived, setArchived] = useState(false);
  const [rows, setRows] = useState<PickerRow[]>([]);
  const [busy, setBusy] = useState(true);
  const [sel, setSel] = useState(0);
  const [error, setError] = useState<string | undefined>(undefined);
  const gen = useRef(0);
  // Rows already listed: a search hit shows their cwd and provider too.
  const known = useRef(new Map<string, PickerRow>());

  useEffect(() => {
    const my = ++gen.current;
    const live = () => gen.current === my;
    const scope = archived ? 'archived' : 'active';
    setBusy(true);
    setSel(0);
    setError(undefined);
    const done = () => live() && setBusy(false);
    const fail = (e: unknown) => live() && (setError(e instanceof Error ? e.message : String(e)), setBusy(false));
    if (!query.trim()) {
      listSessions(p.home, { scope, limit: Math.max(pageSize, 50) })
        .then((page) => {
          const listed = page.items.map(rowOfSummary);
          for (const r of listed) known.current.set(r.id, r);
          if (live()) setRows(listed);
        })
        .then(done, fail);
    } else {
      setRows([]);
      const found: PickerRow[] = [];
      // The next keystroke (or leaving the picker) aborts this search: it stops reading at once.
      const search = new AbortController();
      searchSessions(p.home, query, { scope, limit: 200, signal: search.signal }, (hit) => {
        if (!live()) return;
        const k = known.current.get(hit.id);
        found.push({ id: hit.id, when: k?.when ?? localTime(hit.timestamp), cwd: k?.cwd ?? '', provider: k?.provider ?? '', text: (hit.name ? `[${hit.name}] ` : '') + hit.snippet.replace(/\s+/g, ' ') });
        setRows([...found]);
      }).then(done, (e: unknown) => search.signal.aborted || fail(e));
      return () => search.abort();
    }
    return undefined;
  }, [query, archived]);

  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === 'c')) return p.onCancel();
    if (key.return) {
      const r = rows[sel];
      if (r) p.onSelect(r.id);
      return;
    }
    if (key.tab) return setArchived(!archived);
    if (key.upArrow) return setSel(Math.max(0, sel - 1));
    if (key.downArrow) return setSel(Math.min(rows.length - 1, sel + 1));
    if (key.pageDown) return setSel(Math.min(rows.length - 1, sel + pageSize));
    if (key.pageUp) return setSel(Math.max(0, sel - pageSize));
    if (key.backspace || key.delete) return setQuery([...query].slice(0, -1).join(''));
    if (key.ctrl || key.meta) return;
    if (input) setQuery(query + input.replace(/[\r\n]/g, ' '));
  });

  const top = Math.max(0, Math.min(sel - Math.floor(pageSize / 2), rows.length - pageSize));
  const shown = rows.slice(top, top + pageSize);
  const width = stdout?.columns ?? 80;
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, { bold: true }, `Resume a session${archived ? ' (archived)' : ''}`, h(Text, { dimColor: true }, '  type to search · ↑/↓ · Enter resume · Tab archived · Esc cancel')),
    h(Text, null, h(Text, { color: 'cyan' }, 'search: '), query, h(Text, { inverse: true }, ' '), busy ? h(Text, { dimColor: true }, query ? '  searching…' : '  loading…') : h(Text, { dimColor: true }, `  ${rows.length}${rows.length >= 50 && !query ? '+' : ''} sessions`)),
    error ? h(Text, { color: 'red' }, error) : null,
    !busy && rows.length === 0 ? h(Text, { dimColor: true }, query ? 'no session matches' : 'no sessions') : null,
    ...shown.map((r, i) => {
      const on = top + i === sel;
      const meta = `${r.when.padEnd(16)}  ${shortCwd(r.cwd, 24).padEnd(24)}  ${r.provider.slice(0, 8).padEnd(8)}  `;
      return h(Text, { key: r.id, wrap: 'truncate-end', inverse: on }, on ? '› ' : '  ', h(Text, { dimColor: !on }, meta), r.text.slice(0, Math.max(10, width - meta.length - 2)));
    }),
  );
}

function shortCwd(cwd: string, max: number): string {
  const home = process.env.HOME;
  const c = home && cwd.startsWith(home) ? '~' + cwd.slice(home.length) : cwd;
  return c.length <= max ? c : '…' + c.slice(c.length - max + 1);
}
