import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentsText, gitInfo, originUrl, projectDocDirs, repoRoot } from './project.js';
import { pool, serialized } from './pool.js';

function tmp(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'codex-project-')));
}

describe('AGENTS.md', () => {
  it('root down to cwd; AGENTS.override.md wins in its directory; home first; none → undefined', () => {
    const home = tmp();
    const repo = tmp();
    fs.mkdirSync(path.join(repo, '.git'));
    fs.mkdirSync(path.join(repo, 'a', 'b'), { recursive: true });
    expect(projectDocDirs(path.join(repo, 'a', 'b'))).toEqual([repo, path.join(repo, 'a'), path.join(repo, 'a', 'b')]);
    expect(agentsText(home, path.join(repo, 'a', 'b'))).toBeUndefined();
    fs.writeFileSync(path.join(repo, 'AGENTS.md'), 'root\n');
    fs.writeFileSync(path.join(repo, 'a', 'AGENTS.md'), 'plain a\n');
    fs.writeFileSync(path.join(repo, 'a', 'AGENTS.override.md'), 'override a\n');
    expect(agentsText(home, path.join(repo, 'a', 'b'))).toBe('root\n\n\noverride a\n');
    fs.writeFileSync(path.join(home, 'AGENTS.md'), '  mine  \n');
    expect(agentsText(home, path.join(repo, 'a', 'b'))).toBe('mine\n\n--- project-doc ---\n\nroot\n\n\noverride a\n');
    // Cap 0 turns project docs off; home stays.
    expect(agentsText(home, path.join(repo, 'a', 'b'), 0)).toBe('mine');
    // Outside a repository only cwd is searched.
    const loose = tmp();
    fs.mkdirSync(path.join(loose, 'x'));
    fs.writeFileSync(path.join(loose, 'AGENTS.md'), 'parent\n');
    // (Only checkable when no directory above the temp dir is a repository.)
    if (!repoRoot(loose)) expect(projectDocDirs(path.join(loose, 'x'))).toEqual([path.join(loose, 'x')]);
  });
});

describe('git facts', () => {
  it('reads HEAD, loose and packed refs, and the origin URL without running git', () => {
    const repo = tmp();
    const g = path.join(repo, '.git');
    fs.mkdirSync(path.join(g, 'refs', 'heads'), { recursive: true });
    fs.writeFileSync(path.join(g, 'HEAD'), 'ref: refs/heads/main\n');
    expect(gitInfo(repo)).toEqual({ branch: 'main' });
    fs.writeFileSync(path.join(g, 'packed-refs'), `# pack-refs\n${'b'.repeat(40)} refs/heads/main\n`);
    fs.writeFileSync(path.join(g, 'config'), '[core]\n\tbare = false\n[remote "upstream"]\n\turl = u\n[remote "origin"]\n\turl = git@example.com:o/r.git\n');
    expect(gitInfo(path.join(repo))).toEqual({ branch: 'main', commit_hash: 'b'.repeat(40), repository_url: 'git@example.com:o/r.git' });
    fs.writeFileSync(path.join(g, 'refs', 'heads', 'main'), `${'a'.repeat(40)}\n`);
    expect(gitInfo(repo).commit_hash).toBe('a'.repeat(40));
    fs.writeFileSync(path.join(g, 'HEAD'), `${'c'.repeat(40)}\n`);
    expect(gitInfo(repo)).toEqual({ commit_hash: 'c'.repeat(40), repository_url: 'git@example.com:o/r.git' });
    expect(originUrl('[remote "origin2"]\nurl = x\n')).toBeUndefined();
    const bare = tmp();
    if (!repoRoot(bare)) expect(gitInfo(bare)).toEqual({});
  });
});

describe('pool and serialized', () => {
  it('runs at most N at once and returns results in order', async () => {
    let live = 0;
    let peak = 0;
    const out = await pool([30, 10, 20, 5, 1], 2, async (ms, i) => {
      peak = Math.max(peak, ++live);
      await new Promise((r) => setTimeout(r, ms));
      live--;
      return i;
    });
    expect(out).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it('serialized: one call at a time, even when one fails', async () => {
    let live = 0;
    let peak = 0;
    const f = serialized(async (n: number) => {
      peak = Math.max(peak, ++live);
      await new Promise((r) => setTimeout(r, 5));
      live--;
      if (n === 1) throw new Error('no');
      return n;
    });
    const rs = await Promise.allSettled([f(0), f(1), f(2)]);
    expect(rs.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(peak).toBe(1);
  });
});

describe('time zone of the environment context', () => {
  it('TZ names win; a TZ path or /etc/localtime link gives the zoneinfo name; never Intl', async () => {
    const { timeZone } = await import('./instructions.js');
    expect(timeZone({ TZ: 'Europe/Paris' })).toBe('Europe/Paris');
    expect(timeZone({ TZ: ':America/New_York' })).toBe('America/New_York');
    const dir = tmp();
    const link = path.join(dir, 'localtime');
    fs.symlinkSync('/usr/share/zoneinfo/Asia/Tokyo', link);
    expect(timeZone({ TZ: link })).toBe('Asia/Tokyo');
    // Without TZ: whatever this machine's /etc/localtime names (or /etc/timezone, else UTC), a zone name.
    expect(timeZone({})).toMatch(/^[A-Za-z_+-]+(\/[A-Za-z0-9_+-]+)*$/);
  });
});
