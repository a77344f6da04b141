// What the session learns from the project on disk: AGENTS.md instructions (0.169's order and
// layout) and the git facts recorded in session_meta. Plain file reads, no `git` process.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Total bytes of project AGENTS.md text given to the model (config `project_doc_max_bytes`). */
export const DEFAULT_PROJECT_DOC_MAX_BYTES = 32 * 1024;
const NAMES = ['AGENTS.override.md', 'AGENTS.md'];

function readText(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** The directory holding `.git` (dir or worktree file) at or above `cwd`, if any. */
export function repoRoot(cwd: string): string | undefined {
  for (let d = cwd; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The directories searched for project docs: repository root down to cwd (just cwd outside a repository). */
export function projectDocDirs(cwd: string): string[] {
  const root = repoRoot(cwd);
  if (!root) return [cwd];
  const rel = path.relative(root, cwd);
  const dirs = [root];
  let cur = root;
  for (const part of rel ? rel.split(path.sep) : []) dirs.push((cur = path.join(cur, part)));
  return dirs;
}

function docIn(dir: string): string | undefined {
  for (const n of NAMES) {
    const t = readText(path.join(dir, n));
    if (t !== undefined && t.trim()) return t;
  }
  return undefined;
}

/** Clip to `max` UTF-8 bytes without splitting a character. */
function clip(text: string, max: number): string {
  const b = Buffer.from(text);
  return b.length <= max ? text : b.subarray(0, max).toString('utf8').replace(/\uFFFD+$/, '');
}

/**
 * The AGENTS.md text for a session: `$CODEX_HOME/AGENTS.md` first, then the project's files from the
 * repository root down to cwd, the project part capped at `maxBytes`. Undefined when there is none.
 */
export function agentsText(codexHome: string, cwd: string, maxBytes = DEFAULT_PROJECT_DOC_MAX_BYTES): string | undefined {
  const home = docIn(codexHome)?.trim();
  const docs: string[] = [];
  let left = maxBytes;
  for (const d of maxBytes > 0 ? projectDocDirs(cwd) : []) {
    if (left <= 0) break;
    const t = docIn(d);
    if (t === undefined) continue;
    const part = clip(t, left);
    left -= Buffer.byteLength(part);
    docs.push(part);
  }
  const project = docs.join('\n\n');
  if (home && project) return `${home}\n\n--- project-doc ---\n\n${project}`;
  return home || project || undefined;
}

/** The user message content part that carries AGENTS.md (0.169's layout). */
export function agentsMessage(cwd: string, text: string): string {
  return `# AGENTS.md instructions for ${cwd}\n\n<INSTRUCTIONS>\n${text}\n</INSTRUCTIONS>`;
}

export interface GitInfo {
  commit_hash?: string;
  branch?: string;
  repository_url?: string;
}

/** HEAD's commit and branch and the `origin` URL of the repository holding cwd ({} outside one). */
export function gitInfo(cwd: string): GitInfo {
  const root = repoRoot(cwd);
  if (!root) return {};
  let gitDir = path.join(root, '.git');
  const asFile = readText(gitDir);
  if (asFile?.startsWith('gitdir:')) gitDir = path.resolve(root, asFile.slice(7).trim());
  // A linked worktree keeps refs and config in the common dir.
  const common = readText(path.join(gitDir, 'commondir'));
  const commonDir = common ? path.resolve(gitDir, common.trim()) : gitDir;
  const out: GitInfo = {};
  const head = readText(path.join(gitDir, 'HEAD'))?.trim();
  if (head?.startsWith('ref: ')) {
    const ref = head.slice(5);
    if (ref.startsWith('refs/heads/')) out.branch = ref.slice(11);
    const hash = (readText(path.join(gitDir, ref)) ?? readText(path.join(commonDir, ref)))?.trim() ?? packedRef(commonDir, ref);
    if (hash && /^[0-9a-f]{40,64}$/.test(hash)) out.commit_hash = hash;
  } else if (head && /^[0-9a-f]{40,64}$/.test(head)) {
    out.commit_hash = head;
  }
  const url = originUrl(readText(path.join(commonDir, 'config')) ?? '');
  if (url) out.repository_url = url;
  return out;
}

function packedRef(dir: string, ref: string): string | undefined {
  for (const line of (readText(path.join(dir, 'packed-refs')) ?? '').split('\n')) {
    const [hash, name] = line.split(' ');
    if (name === ref) return hash;
  }
  return undefined;
}

/** Pure: `url` of `[remote "origin"]` in a git config text. */
export function originUrl(config: string): string | undefined {
  let inOrigin = false;
  for (const raw of config.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) inOrigin = /^\[remote\s+"origin"\]$/.test(line);
    else if (inOrigin) {
      const m = /^url\s*=\s*(.+)$/.exec(line);
      if (m) return m[1]!.trim();
    }
  }
  return undefined;
}
