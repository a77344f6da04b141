// Slash commands of the composer and their completion.
export interface SlashCommand {
  name: string;
  summary: string;
}

export const SLASH_COMMANDS: readonly SlashCommand[] = [
  { name: 'new', summary: 'start a new session' },
  { name: 'resume', summary: 'resume a recorded session (picker)' },
  { name: 'status', summary: 'session, model, sandbox, approvals, tokens' },
  { name: 'diff', summary: 'git diff of the workspace (paged)' },
  { name: 'model', summary: 'show or set the model: /model NAME' },
  { name: 'approvals', summary: 'show or set the approval policy: /approvals POLICY' },
  { name: 'quit', summary: 'exit codex' },
];

/** The commands a composer text that starts with `/` may complete to (none once it has a space). */
export function completions(text: string): SlashCommand[] {
  if (!text.startsWith('/') || /\s/.test(text)) return [];
  const word = text.slice(1);
  return SLASH_COMMANDS.filter((c) => c.name.startsWith(word));
}

export function parseSlash(text: string): { name: string; arg: string } | undefined {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(text.trim());
  return m ? { name: m[1]!, arg: m[2]!.trim() } : undefined;
}
