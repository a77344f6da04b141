// The resume picker's screen as plain styled lines, each already cut to the terminal's width: Ink's
// Picker draws them, and before Ink is loaded the first page is painted from the very same lines
// (paint.ts), so the hand-over changes nothing on screen.
import type { SessionSummary } from '../../../rollout/index.js';
import { fitWidth } from './width.js';

export interface PickerRow {
  id: string;
  when: string;
  cwd: string;
  provider: string;
  text: string;
}

export interface Span {
  text: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  color?: 'cyan' | 'red';
}

export interface ScreenLine {
  key: string;
  spans: Span[];
  /** The whole line in reverse video (the selected row). */
  inverse?: boolean;
}

export interface PickerState {
  query: string;
  archived: boolean;
  rows: PickerRow[];
  busy: boolean;
  sel: number;
  error?: string;
}

/** The first page's size: more rows are listed than shown, so "50+" reads as "there are more". */
export const FIRST_PAGE_LIMIT = 50;

export function pageSizeFor(terminalRows: number | undefined): number {
  return Math.max(3, (terminalRows ?? 24) - 6);
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

/** The first row shown: the selection is kept near the middle of the page. */
export function pageTop(sel: number, rows: number, pageSize: number): number {
  return Math.max(0, Math.min(sel - Math.floor(pageSize / 2), rows - pageSize));
}

/** The screen for `s` on a terminal `width` columns wide showing `pageSize` rows. */
export function pickerScreen(s: PickerState, width: number, pageSize: number, home = process.env.HOME): ScreenLine[] {
  const cols = Math.max(10, width);
  const lines: ScreenLine[] = [];
  const fit = (spans: Span[]): Span[] => {
    let room = cols;
    const out: Span[] = [];
    for (const sp of spans) {
      if (room <= 0) break;
      const text = fitWidth(sp.text, room);
      room -= text.width;
      out.push({ ...sp, text: text.text });
      if (text.cut) break;
    }
    return out;
  };
  lines.push({
    key: 'title',
    spans: fit([
      { text: `Resume a session${s.archived ? ' (archived)' : ''}`, bold: true },
      { text: '  type to search · ↑/↓ · Enter resume · Tab archived · Esc cancel', dim: true },
    ]),
  });
  const status = s.busy ? (s.query ? '  searching…' : '  loading…') : `  ${s.rows.length}${s.rows.length >= FIRST_PAGE_LIMIT && !s.query ? '+' : ''} sessions`;
  lines.push({ key: 'search', spans: fit([{ text: 'search: ', color: 'cyan' }, { text: s.query }, { text: ' ', inverse: true }, { text: status, dim: true }]) });
  if (s.error) lines.push({ key: 'error', spans: fit([{ text: s.error, color: 'red' }]) });
  if (!s.busy && s.rows.length === 0) lines.push({ key: 'empty', spans: fit([{ text: s.query ? 'no session matches' : 'no sessions', dim: true }]) });
  const top = pageTop(s.sel, s.rows.length, pageSize);
  s.rows.slice(top, top + pageSize).forEach((r, i) => {
    const on = top + i === s.sel;
    const meta = `${r.when.padEnd(16)}  ${shortCwd(r.cwd, 24, home).padEnd(24)}  ${r.provider.slice(0, 8).padEnd(8)}  `;
    lines.push({ key: `row:${r.id}`, inverse: on, spans: fit([{ text: on ? '› ' : '  ' }, { text: meta, dim: !on }, { text: r.text }]) });
  });
  return lines;
}

/** The lines as text with SGR styling (`color` false: plain text), one '\n' after each. */
export function ansiOf(lines: ScreenLine[], color: boolean): string {
  let out = '';
  for (const l of lines) {
    for (const sp of l.spans) {
      const codes: number[] = [];
      if (color) {
        if (sp.bold) codes.push(1);
        if (sp.dim) codes.push(2);
        if (sp.inverse || l.inverse) codes.push(7);
        if (sp.color) codes.push(sp.color === 'cyan' ? 36 : 31);
      }
      out += codes.length ? `\x1b[${codes.join(';')}m${sp.text}\x1b[0m` : sp.text;
    }
    out += '\n';
  }
  return out;
}

function shortCwd(cwd: string, max: number, home: string | undefined): string {
  const c = home && cwd.startsWith(home) ? '~' + cwd.slice(home.length) : cwd;
  return c.length <= max ? c : '…' + c.slice(c.length - max + 1);
}
