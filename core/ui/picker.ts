// The `codex resume` picker: the store's first page, newest first; typing runs the store's
// full-text search (a newer keystroke supersedes the running search, whose hits are dropped);
// Tab toggles archived sessions; Enter resumes. What it shows is early/view.ts's lines, which
// `codex resume` also paints before Ink is loaded.
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text, useInput, useStdout } from 'ink';
import { decodeKeys } from './keys.js';
import { listSessions, searchSessions } from '../../rollout/index.js';
import { FIRST_PAGE_LIMIT, localTime, pageSizeFor, pickerScreen, rowOfSummary, type PickerRow } from './early/index.js';

export { localTime, rowOfSummary, type PickerRow } from './early/index.js';

const h = React.createElement;

export interface PickerProps {
  home: string;
  onSelect: (id: string) => void;
  onCancel: () => void;
  /** Rows of the first page (defaults to what fits on the screen). */
  pageSize?: number;
  /** The active sessions' first page, already listed (and painted) before Ink was loaded. */
  initialRows?: PickerRow[];
}

export function Picker(p: PickerProps): React.ReactElement {
  const { stdout } = useStdout();
  const pageSize = p.pageSize ?? pageSizeFor(stdout?.rows);
  const [query, setQuery] = useState('');
  const [archived, setArchived] = useState(false);
  const [rows, setRows] = useState<PickerRow[]>(p.initialRows ?? []);
  const [busy, setBusy] = useState(!p.initialRows);
  const [sel, setSel] = useState(0);
  const [error, setError] = useState<string | undefined>(undefined);
  const gen = useRef(0);
  // Rows already listed: a search hit shows their cwd and provider too.
  const known = useRef(new Map<string, PickerRow>((p.initialRows ?? []).map((r) => [r.id, r])));
  const listed = useRef(p.initialRows !== undefined);

  useEffect(() => {
    const my = ++gen.current;
    const live = () => gen.current === my;
    const scope = archived ? 'archived' : 'active';
    if (listed.current) {
      // The first page came with the props.
      listed.current = false;
      return;
    }
    setBusy(true);
    setSel(0);
    setError(undefined);
    const done = () => live() && setBusy(false);
    const fail = (e: unknown) => live() && (setError(e instanceof Error ? e.message : String(e)), setBusy(false));
    if (!query.trim()) {
      listSessions(p.home, { scope, limit: Math.max(pageSize, FIRST_PAGE_LIMIT) })
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

  // Enter right after new rows are drawn may reach the handler of the render before (effects run
  // after the frame): it reads the rows on screen from here.
  const shownRef = useRef({ rows, sel });
  shownRef.current = { rows, sel };
  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === 'c')) return p.onCancel();
    if (key.return) {
      const r = shownRef.current.rows[shownRef.current.sel];
      if (r) p.onSelect(r.id);
      return;
    }
    if (key.tab) return setArchived(!archived);
    if (key.upArrow) return setSel(Math.max(0, sel - 1));
    if (key.downArrow) return setSel(Math.min(rows.length - 1, sel + 1));
    if (key.pageDown) return setSel(Math.min(rows.length - 1, sel + pageSize));
    if (key.pageUp) return setSel(Math.max(0, sel - pageSize));
    // Functional updates: several keys can arrive before the next render.
    if (key.backspace || key.delete) return setQuery((q) => [...q].slice(0, -1).join(''));
    if (key.ctrl || key.meta) return;
    if (input) setQuery((q) => typedInto(q, input));
  });

  const lines = pickerScreen({ query, archived, rows, busy, sel, ...(error ? { error } : {}) }, stdout?.columns ?? 80, pageSize);
  return h(
    Box,
    { flexDirection: 'column' },
    ...lines.map((l) =>
      h(
        Text,
        { key: l.key, wrap: 'truncate-end', inverse: !!l.inverse },
        ...l.spans.map((s, i) => h(Text, { key: i, bold: !!s.bold, dimColor: !!s.dim, inverse: !!s.inverse, ...(s.color ? { color: s.color } : {}) }, s.text)),
      ),
    ),
  );
}

/**
 * The query after `input`: keys typed faster than one read reach us as one text, Backspace
 * included (`"ab\x7f"`), cut into keys by the composer's decoder; Backspace is applied, other
 * control keys dropped, line breaks become spaces.
 */
export function typedInto(query: string, input: string): string {
  let q = [...query];
  for (const key of decodeKeys(input)) {
    if (key.kind === 'backspace') q = q.slice(0, -1);
    else if (key.kind === 'text') for (const ch of key.text) if (ch !== '\t') q.push(ch === '\r' || ch === '\n' ? ' ' : ch);
  }
  return q.join('');
}
