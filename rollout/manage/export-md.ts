// A readable Markdown transcript of one rollout: user and assistant messages, commands with their
// output, patches as diffs. Huge tool outputs are cut (head and tail kept) with a note saying so.
// Pure: records in, text out.
import { assertNever } from '../../protocol/index.js';
import { isObject, messageTextOf, sessionMetaOf, type JsonObject, type RolloutRecord } from '../format.js';

export interface MarkdownOptions {
  /** Outputs longer than this many lines or bytes are cut. */
  maxOutputLines?: number;
  maxOutputBytes?: number;
  /** Where the transcript came from, for the header. */
  path?: string;
  name?: string;
}

const DEFAULT_MAX_LINES = 60;
const DEFAULT_MAX_BYTES = 8 * 1024;

/** What a command finished with, gathered from events (cleaner than the raw tool output text). */
interface CommandResult {
  command?: string;
  output: string;
  exitCode?: number;
}

export function renderMarkdown(records: readonly RolloutRecord[], opts: MarkdownOptions = {}): string {
  const maxLines = opts.maxOutputLines ?? DEFAULT_MAX_LINES;
  const maxBytes = opts.maxOutputBytes ?? DEFAULT_MAX_BYTES;
  const out: string[] = [];
  const results = commandResults(records);
  const renderedCalls = new Set<string>();
  // Newer rollouts carry messages as response items and repeat them as events; older ones only as
  // events. Use events only when there is no response-item message at all.
  const hasItems = records.some((r) => r.kind === 'response_item' && r.payload.type === 'message');
  const meta = records.map(sessionMetaOf).find((m) => m !== undefined);

  out.push(`# Session ${meta?.id ?? '(no session_meta)'}`);
  out.push('');
  const facts: [string, string | undefined][] = [
    ['Name', opts.name],
    ['Started', meta?.timestamp],
    ['Working directory', meta?.cwd],
    ['Source', meta?.source],
    ['Model provider', meta?.modelProvider],
    ['Codex version', meta?.cliVersion],
    ['File', opts.path],
  ];
  for (const [k, v] of facts) if (v) out.push(`- **${k}:** ${inlineCode(v)}`);
  out.push('');

  const section = (title: string, ts: string | undefined) => out.push(`## ${title}${ts ? ` · ${ts}` : ''}`, '');
  const block = (text: string, lang = '') => {
    const cut = truncate(text, maxLines, maxBytes);
    out.push(fenced(cut.text, lang));
    if (cut.note) out.push('', `_${cut.note}_`);
    out.push('');
  };

  for (const r of records) {
    switch (r.kind) {
      case 'response_item': {
        if (r.payload.type === 'message') {
          const m = messageTextOf(r);
          if (m && !m.injected) {
            section(m.role === 'user' ? 'User' : 'Assistant', r.timestamp);
            out.push(m.text.trimEnd(), '');
          }
          break;
        }
        renderItem(r.payload, r.timestamp);
        break;
      }
      case 'event_msg':
        if (!hasItems) {
          const m = messageTextOf(r);
          if (m && !m.injected) {
            section(m.role === 'user' ? 'User' : 'Assistant', r.timestamp);
            out.push(m.text.trimEnd(), '');
          }
        }
        if (r.payload.type === 'turn_aborted') out.push(`_Turn aborted${typeof r.payload.reason === 'string' ? `: ${r.payload.reason}` : ''}._`, '');
        break;
      case 'compacted':
        out.push('_History compacted here: earlier turns were summarized for the model._', '');
        break;
      case 'session_meta':
      case 'turn_context':
      case 'world_state':
      case 'unknown':
        break;
      default:
        assertNever(r, 'record kind');
    }
  }
  return out.join('\n').trimEnd() + '\n';

  function renderItem(p: JsonObject, ts: string | undefined): void {
    switch (p.type) {
      case 'reasoning': {
        const summary = Array.isArray(p.summary) ? p.summary.filter(isObject).map((s) => (typeof s.text === 'string' ? s.text : '')).join('\n').trim() : '';
        if (summary) out.push(`> _Reasoning:_ ${summary.replace(/\n/g, '\n> ')}`, '');
        return;
      }
      case 'function_call':
      case 'custom_tool_call':
      case 'local_shell_call': {
        const callId = typeof p.call_id === 'string' ? p.call_id : undefined;
        const name = typeof p.name === 'string' ? p.name : p.type === 'local_shell_call' ? 'local_shell' : 'tool';
        const args = p.type === 'function_call' ? parseArgs(p.arguments) : undefined;
        const patch = name === 'apply_patch' ? patchText(p, args) : undefined;
        if (patch !== undefined) {
          section('Patch', ts);
          block(patchToDiff(patch), 'diff');
          if (callId) renderedCalls.add(callId);
          return;
        }
        const cmd = commandOf(p, args) ?? (callId ? results.get(callId)?.command : undefined);
        if (cmd !== undefined) {
          section('Command', ts);
          out.push(fenced(cmd, 'sh'), '');
          const res = callId ? results.get(callId) : undefined;
          if (res) {
            out.push(`Output${res.exitCode !== undefined ? ` (exit ${res.exitCode})` : ''}:`, '');
            block(res.output || '(no output)');
            renderedCalls.add(callId!);
          }
          return;
        }
        section(`Tool call \`${name}\``, ts);
        block(typeof p.arguments === 'string' ? p.arguments : typeof p.input === 'string' ? p.input : JSON.stringify(p.arguments ?? p.input ?? {}), 'json');
        return;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const callId = typeof p.call_id === 'string' ? p.call_id : undefined;
        if (callId && renderedCalls.has(callId)) return;
        const text = outputText(p.output);
        out.push('Output:', '');
        block(text || '(no output)');
        return;
      }
      default:
        return; // web searches, ghost snapshots, items of newer versions: not part of a transcript
    }
  }
}

function commandResults(records: readonly RolloutRecord[]): Map<string, CommandResult> {
  const m = new Map<string, CommandResult>();
  for (const r of records) {
    if (r.kind !== 'event_msg') continue;
    const p = r.payload;
    if (p.type === 'item_completed' && isObject(p.item) && p.item.type === 'CommandExecution' && typeof p.item.id === 'string') {
      const it = p.item;
      m.set(it.id as string, {
        command: commandString(it.command),
        output: typeof it.aggregated_output === 'string' ? it.aggregated_output : '',
        exitCode: typeof it.exit_code === 'number' ? it.exit_code : undefined,
      });
    } else if (p.type === 'exec_command_end' && typeof p.call_id === 'string') {
      const output = typeof p.aggregated_output === 'string' ? p.aggregated_output : [p.stdout, p.stderr].filter((s) => typeof s === 'string' && s).join('\n');
      m.set(p.call_id, { command: commandString(p.command), output, exitCode: typeof p.exit_code === 'number' ? p.exit_code : undefined });
    }
  }
  return m;
}

function parseArgs(v: unknown): JsonObject | undefined {
  if (typeof v !== 'string') return isObject(v) ? v : undefined;
  try {
    const o: unknown = JSON.parse(v);
    return isObject(o) ? o : undefined;
  } catch {
    return undefined;
  }
}

function commandOf(p: JsonObject, args: JsonObject | undefined): string | undefined {
  if (p.type === 'local_shell_call' && isObject(p.action)) return commandString(p.action.command);
  if (!args) return undefined;
  return commandString(args.cmd) ?? commandString(args.command);
}

/** `["/bin/bash","-lc","x"]` → `x`; other argv arrays are joined with shell quoting. */
function commandString(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return undefined;
  const argv = v as string[];
  if (argv.length === 3 && /(^|\/)(ba|z)?sh$/.test(argv[0]!) && /^-l?c$/.test(argv[1]!)) return argv[2]!.trim();
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function patchText(p: JsonObject, args: JsonObject | undefined): string | undefined {
  if (typeof p.input === 'string') return p.input;
  if (args && typeof args.input === 'string') return args.input;
  if (args && typeof args.patch === 'string') return args.patch;
  return undefined;
}

/** apply_patch text → a unified-diff-looking view (file headers, hunks kept as they are). */
export function patchToDiff(patch: string): string {
  const out: string[] = [];
  for (const line of patch.replace(/\r\n/g, '\n').split('\n')) {
    let m: RegExpExecArray | null;
    if (line === '*** Begin Patch' || line === '*** End Patch' || line === '*** End of File') continue;
    if ((m = /^\*\*\* Add File: (.+)$/.exec(line))) out.push(`--- /dev/null`, `+++ b/${m[1]}`);
    else if ((m = /^\*\*\* Delete File: (.+)$/.exec(line))) out.push(`--- a/${m[1]}`, `+++ /dev/null`);
    else if ((m = /^\*\*\* Update File: (.+)$/.exec(line))) out.push(`--- a/${m[1]}`, `+++ b/${m[1]}`);
    else if ((m = /^\*\*\* Move to: (.+)$/.exec(line))) out.push(`rename to ${m[1]}`);
    else out.push(line);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

function contentText(c: unknown): string {
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return '';
  return c
    .filter(isObject)
    .map((x) => (typeof x.text === 'string' ? x.text : x.type === 'input_image' ? '[image]' : ''))
    .filter(Boolean)
    .join('\n');
}

function outputText(o: unknown): string {
  if (typeof o === 'string') return o;
  if (isObject(o) && typeof o.content === 'string') return o.content;
  if (Array.isArray(o)) return contentText(o);
  return o === undefined ? '' : JSON.stringify(o);
}

/** Keep the head and the tail of a long output; say what was left out. */
export function truncate(text: string, maxLines: number, maxBytes: number): { text: string; note?: string } {
  const bytes = Buffer.byteLength(text);
  const lines = text.split('\n');
  if (lines.length <= maxLines && bytes <= maxBytes) return { text };
  const headN = Math.max(1, Math.floor(maxLines * 0.75));
  const tailN = Math.max(1, maxLines - headN);
  let head = lines.slice(0, headN).join('\n');
  let tail = lines.length > headN + tailN ? lines.slice(-tailN).join('\n') : '';
  const budget = Math.floor(maxBytes / 2);
  if (Buffer.byteLength(head) > budget) head = head.slice(0, budget);
  if (Buffer.byteLength(tail) > budget) tail = tail.slice(-budget);
  const kept = Buffer.byteLength(head) + Buffer.byteLength(tail);
  const note = `output truncated: ${lines.length} lines, ${bytes} bytes; showing the first and last parts (${bytes - kept} bytes left out)`;
  return { text: `${head}\n… [${bytes - kept} bytes omitted] …\n${tail}`, note };
}

/** A code fence longer than any backtick run inside the text. */
function fenced(text: string, lang = ''): string {
  let n = 3;
  for (const m of text.matchAll(/`{3,}/g)) n = Math.max(n, m[0].length + 1);
  const f = '`'.repeat(n);
  return `${f}${lang}\n${text.replace(/\n$/, '')}\n${f}`;
}

function inlineCode(s: string): string {
  return s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``;
}
