// Subcommands of the real Codex CLI that codex-ts refuses with a pointer; shared by the top-level
// parser and `codex exec` (kept apart from the command table, which loads exec lazily).
import { CodexError, EXIT } from '../../protocol/index.js';

/**
 * Commands of the real Codex CLI that codex-ts does not have, with what to use instead: refused
 * with this pointer (never sent to the model as a prompt). Keys are `codex X` or `codex exec X`.
 */
const NOT_SUPPORTED: Readonly<Record<string, string>> = {
  login: 'ChatGPT login is not supported yet; put an API key in the environment variable your provider names (OPENAI_API_KEY for openai)',
  logout: 'there is no stored login: codex-ts reads the API key from the environment only',
  review: 'run a review as a prompt: codex exec "review the uncommitted changes"',
  'exec review': 'run a review as a prompt: codex exec "review the uncommitted changes"',
  'exec fork': 'copy a session with `codex sessions export ID --format jsonl`, or continue it with `codex exec resume ID`',
  fork: 'continue a session with `codex exec resume ID`',
  agents: 'list sessions with `codex sessions list`',
  mcp: 'MCP servers are not supported yet',
  'mcp-server': 'MCP is not supported yet',
  plugin: 'plugins are not supported yet',
  'app-server': 'the app server is not supported',
  'exec-server': 'the exec server is not supported',
  'remote-control': 'the app server is not supported',
  completion: 'shell completion scripts are not generated yet',
  update: 'rebuild from the repository (`git pull && npm run build`)',
  doctor: 'check the session store with `codex sessions doctor`, this build with `codex debug native`',
  apply: 'apply a patch with `apply_patch PATCH` (or `git apply`)',
  queue: 'queue is not supported; resume the session with `codex exec resume ID PROMPT`',
  delete: 'remove sessions with `codex sessions prune --older-than DUR` (or archive one with `codex archive ID`)',
  'migrate-rollouts': 'codex-ts reads the current rollout layout only; check it with `codex sessions doctor`',
  'migrate-nfs-db': 'codex-ts keeps no SQLite databases',
  cloud: 'Codex Cloud is not supported',
};

/** The refusal for a command word we lack (undefined when `word` is not one). */
export function notSupported(prefix: '' | 'exec ', word: string): CodexError | undefined {
  const why = NOT_SUPPORTED[prefix + word];
  if (!why) return undefined;
  return new CodexError('NOT_SUPPORTED', `'codex ${prefix}${word}' is not supported by codex-ts: ${why} (README: "Not supported yet")`, { exitCode: EXIT.USAGE });
}
