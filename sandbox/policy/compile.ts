// Symbolic entries → the effective per-path table: special tokens expanded, paths canonicalised,
// `none` globs expanded against the disk, automatic protections added under writable roots.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertNever } from '../../protocol/index.js';
import { type Access, type FsRule, type ProtectedPath } from '../types.js';
import { canonicalPath, containsGlob, isStrictlyWithin, isWithin } from './paths.js';
import { DEFAULT_GLOB_SCAN_MAX_DEPTH, type SpecialPath, type SymbolicEntry } from './profiles.js';
import { protectedUnder } from './protected.js';
import { normalizeRules } from './table.js';
import { windowsToInternal } from './windows-paths.js';

function hostOs(): OsKind {
  return process.platform === 'darwin' ? 'macos' : process.platform === 'win32' ? 'windows' : 'linux';
}

export type OsKind = 'linux' | 'macos' | 'windows';

export interface CompileContext {
  os: OsKind;
  /** Canonical cwd. */
  cwd: string;
  /** Canonical workspace roots (cwd first). */
  workspaceRoots: string[];
  tmpdir: string | undefined;
  /** Protect `.aws` too (the built-in workspace modes do, like Codex 0.169). */
  protectAws: boolean;
  globScanMaxDepth?: number;
}

export interface CompiledTable {
  rules: FsRule[];
  protectedPaths: ProtectedPath[];
  minimalReadRoots: string[];
  denyGlobs: string[];
  warnings: string[];
}

/** System read roots that `:minimal` stands for (only the ones that exist are used on POSIX). */
export const MINIMAL_READ_ROOTS: Record<OsKind, readonly string[]> = {
  linux: ['/bin', '/sbin', '/usr', '/lib', '/lib32', '/lib64', '/libx32', '/etc'],
  // Not /dev: the Seatbelt base grants the devices a process needs; terminals need the pty extension.
  macos: ['/bin', '/sbin', '/usr', '/System', '/Library', '/private/etc', '/private/var/db'],
  windows: ['C:\\Windows', 'C:\\Program Files', 'C:\\Program Files (x86)', 'C:\\ProgramData'],
};

export function compileTable(entries: readonly SymbolicEntry[], ctx: CompileContext): CompiledTable {
  const warnings: string[] = [];
  const denyGlobs: string[] = [];
  const minimalReadRoots: string[] = [];
  const user: FsRule[] = [];
  for (const e of entries) {
    const t = e.target;
    switch (t.kind) {
      case 'path':
        user.push({ path: canonicalPath(t.path), access: e.access });
        break;
      case 'special':
        for (const p of expandSpecial(t.special, ctx)) {
          if (t.special === 'minimal') minimalReadRoots.push(p);
          user.push({ path: p, access: e.access });
        }
        break;
      case 'workspace':
        for (const root of ctx.workspaceRoots) user.push({ path: canonicalPath(t.sub ? path.posix.join(root, t.sub) : root), access: e.access });
        break;
      case 'glob': {
        const patterns = t.workspaceRelative ? ctx.workspaceRoots.map((r) => path.posix.join(r, t.pattern)) : [t.pattern];
        for (const pattern of patterns) {
          denyGlobs.push(pattern);
          const found = expandGlob(pattern, ctx.globScanMaxDepth ?? DEFAULT_GLOB_SCAN_MAX_DEPTH, warnings);
          for (const m of found) user.push({ path: canonicalPath(m), access: e.access });
        }
        break;
      }
      default:
        assertNever(t, 'filesystem target');
    }
  }
  const base = normalizeRules(user);
  const explicit = new Set(base.map((r) => r.path));
  const { rules, protectedPaths } = addProtections(base, explicit, ctx);
  return { rules, protectedPaths, minimalReadRoots, denyGlobs, warnings };
}

/** `/tmp` as the target platform sees it: none on Windows, as written when explaining another platform. */
export function slashTmpFor(os: OsKind): string | undefined {
  if (os === 'windows') return undefined;
  if (os !== hostOs()) return '/tmp';
  return fs.existsSync('/tmp') ? canonicalPath('/tmp') : undefined;
}

function expandSpecial(s: SpecialPath, ctx: CompileContext): string[] {
  switch (s) {
    case 'root':
      return ['/'];
    case 'minimal':
      if (ctx.os === 'windows') return MINIMAL_READ_ROOTS.windows.map(windowsToInternal);
      // Explaining another platform's policy (macOS on Linux): its system roots are not on this disk.
      if (ctx.os !== hostOs()) return [...MINIMAL_READ_ROOTS[ctx.os]];
      return MINIMAL_READ_ROOTS[ctx.os].filter((p) => fs.existsSync(p)).map(canonicalPath);
    case 'tmpdir':
      return ctx.tmpdir && ctx.tmpdir.startsWith('/') ? [canonicalPath(ctx.tmpdir)] : [];
    case 'slash_tmp': {
      const t = slashTmpFor(ctx.os);
      return t === undefined ? [] : [t];
    }
    default:
      return assertNever(s, 'special path');
  }
}

/**
 * Protections for every writable root. A protection only ever turns `write` into `read`. An explicit
 * rule that targets protected territory wins over the automatic protection: a rule on the protected
 * path itself, or a writable rule on/inside another protected path that covers it (e.g.
 * `/main/.git = write` also opens a worktree's gitdir `/main/.git/worktrees/wt`). A writable rule
 * strictly inside an automatic protection is dropped (a writable root inside `.git` is not writable).
 */
function addProtections(base: FsRule[], explicit: Set<string>, ctx: CompileContext): { rules: FsRule[]; protectedPaths: ProtectedPath[] } {
  const cache = new Map<string, ReturnType<typeof protectedUnder>>();
  const candidatesOf = (root: string) => {
    let c = cache.get(root);
    if (!c) cache.set(root, (c = protectedUnder(root, { aws: ctx.protectAws && ctx.workspaceRoots.includes(root) })));
    return c;
  };
  const collect = (rules: FsRule[]): ProtectedPath[] => {
    const writes = rules.filter((r) => r.access === 'write');
    const territory = writes.flatMap((w) => candidatesOf(w.path).map((c) => c.path));
    const out: ProtectedPath[] = [];
    const seen = new Set<string>();
    for (const w of writes) {
      for (const c of candidatesOf(w.path)) {
        if (explicit.has(c.path) || seen.has(c.path)) continue;
        const governing = governingRule(rules, c.path);
        if (!governing || governing.access !== 'write') continue;
        if (isProtectedTerritory(governing.path) || territory.some((t) => t !== c.path && isWithin(t, governing.path))) continue;
        seen.add(c.path);
        out.push({ path: c.path, kind: c.kind, root: w.path, exists: c.exists });
      }
    }
    return out;
  };
  let prot = collect(base);
  const kept = base.filter((r) => !(r.access === 'write' && prot.some((p) => isStrictlyWithin(p.path, r.path))));
  if (kept.length !== base.length) prot = collect(kept);
  const rules = normalizeRules([...kept, ...prot.map((p) => ({ path: p.path, access: 'read' as Access }))]);
  return { rules, protectedPaths: prot.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

const PROTECTED_NAMES = new Set(['.git', '.codex', '.agents', '.aws']);

/** A path on or below a `.git` / `.codex` / `.agents` / `.aws` component. */
function isProtectedTerritory(p: string): boolean {
  return p.split('/').some((seg) => PROTECTED_NAMES.has(seg));
}

/** The rule that decides `p` (most specific; `rules` are normalised, one per path). */
function governingRule(rules: readonly FsRule[], p: string): FsRule | undefined {
  let best: FsRule | undefined;
  for (const r of rules) if (isWithin(r.path, p) && (!best || r.path.length > best.path.length)) best = r;
  return best;
}

const GLOB_SCAN_ENTRY_LIMIT = 200_000;

/**
 * Glob → RegExp over absolute paths: `**` any number of segments, `*`/`?` within one, `[...]` classes.
 *
 * @example
 *   globToRegExp('/w/**').test('/w/a/b/.env'); // true
 */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const slashAfter = pattern[i + 2] === '/';
      re += slashAfter ? '(?:[^/]*/)*' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let cls = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += `[${cls}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Existing paths matching an absolute glob, scanning at most `maxDepth` levels below its literal prefix. */
export function expandGlob(pattern: string, maxDepth: number, warnings: string[]): string[] {
  const segs = pattern.split('/');
  const firstGlob = segs.findIndex((s) => containsGlob(s));
  if (firstGlob < 0) return fs.existsSync(pattern) ? [pattern] : [];
  const base = segs.slice(0, firstGlob).join('/') || '/';
  const re = globToRegExp(pattern);
  const out: string[] = [];
  let scanned = 0;
  const walk = (dir: string, depth: number): void => {
    if (depth > maxDepth || scanned > GLOB_SCAN_ENTRY_LIMIT) return;
    let ents: fs.Dirent[];
    try {
      ents = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of ents) {
      if (++scanned > GLOB_SCAN_ENTRY_LIMIT) {
        warnings.push(`glob \`${pattern}\`: stopped after scanning ${GLOB_SCAN_ENTRY_LIMIT} entries`);
        return;
      }
      const p = dir === '/' ? `/${e.name}` : `${dir}/${e.name}`;
      if (re.test(p)) out.push(p);
      if (e.isDirectory()) walk(p, depth + 1);
    }
  };
  walk(base, 1);
  return out;
}
