// config.toml text → plain table; a syntax error names the file, line and column.
import { parse as parseToml, TomlError } from 'smol-toml';
import { CodexError } from '../../protocol/index.js';
import type { ConfigTable } from './types.js';

export function parseConfigText(text: string, file: string): ConfigTable {
  try {
    return parseToml(text) as ConfigTable;
  } catch (e) {
    if (e instanceof TomlError) {
      const reason = firstLine(e.message.replace(/^Invalid TOML document:\s*/, ''));
      throw new CodexError('CONFIG_PARSE', `${file}:${e.line}:${e.column}: ${reason} (line ${e.line}: ${sourceLine(text, e.line)})`, { cause: e });
    }
    throw new CodexError('CONFIG_PARSE', `${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

function sourceLine(text: string, line: number): string {
  const l = (text.split(/\r?\n/)[line - 1] ?? '').trim();
  return JSON.stringify(l.length > 60 ? l.slice(0, 57) + '...' : l);
}
