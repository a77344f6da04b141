// bwrap discovery (pure core, injected fs facts): a bwrap is never taken from anywhere a sandboxed
// command, another user or a checked-out repository could have put it. Plus the real lookup on
// this machine.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBwrap, noBwrapReason, searchBwrap, type BwrapSearchInput, type FileFacts, type FsProbe } from '../../sandbox/linux/discovery.js';
import { bwrapSearch, locateBwrap } from '../../sandbox/linux/probes.js';
import { resolvePolicy } from '../../sandbox/policy/index.js';
import { codex, scratchOutsideTmp, tempDir } from '../helpers/bin.js';

const ME = 1000;
const dir = (over: Partial<FileFacts> = {}): FileFacts => ({ kind: 'dir', uid: 0, mode: 0o40755, executable: false, ...over });
const exe = (over: Partial<FileFacts> = {}): FileFacts => ({ kind: 'file', uid: 0, mode: 0o100755, executable: true, ...over });

/** A little filesystem: every listed path plus its folders (root-owned, 755 unless listed). */
function fakeFs(files: Record<string, FileFacts>, links: Record<string, string> = {}): FsProbe {
  const all = new Map<string, FileFacts>();
  for (const [p, f] of Object.entries(files)) {
    for (let d = path.dirname(p); !all.has(d); d = path.dirname(d)) {
      all.set(d, dir());
      if (d === '/') break;
    }
  }
  for (const [p, f] of Object.entries(files)) all.set(p, f);
  const real = (p: string): string => {
    for (const [from, to] of Object.entries(links)) if (p === from || p.startsWith(from + '/')) return real(to + p.slice(from.length));
    return p;
  };
  return {
    stat: (p) => all.get(real(p)),
    realpath: (p) => {
      const r = real(p);
      if (!all.has(r)) throw new Error(`ENOENT ${p}`);
      return r;
    },
  };
}

function input(fs: FsProbe, over: Partial<BwrapSearchInput> = {}): BwrapSearchInput {
  return {
    pathEnv: '/usr/local/bin:/usr/bin',
    cwd: '/home/u/repo',
    execPath: '/opt/codex/codex',
    writable: (p) => p === '/home/u/repo' || p.startsWith('/home/u/repo/'),
    tempDirs: ['/tmp', '/var/tmp', '/dev/shm'],
    uid: ME,
    fs,
    ...over,
  };
}

describe('bwrap discovery: where a bwrap is never taken from', () => {
  const system = { '/usr/bin/bwrap': exe() };

  it('the first acceptable bwrap on PATH, resolved', () => {
    expect(findBwrap(input(fakeFs(system)))).toEqual({ path: '/usr/bin/bwrap', source: 'system' });
    expect(findBwrap(input(fakeFs({ ...system, '/usr/local/bin/bwrap': exe() })))).toEqual({ path: '/usr/local/bin/bwrap', source: 'system' });
    // A symlink on PATH: the resolved file is what runs (a later swap of the link cannot redirect it).
    const f = fakeFs({ ...system, '/opt/bw/bin/bwrap': exe(), '/usr/local/bin/x': exe() }, { '/usr/local/bin/bwrap': '/opt/bw/bin/bwrap' });
    expect(findBwrap(input(f))).toEqual({ path: '/opt/bw/bin/bwrap', source: 'system' });
  });

  it('not from a writable root of the policy (by its real path and its folder’s), even outside the cwd', () => {
    const f = fakeFs({ ...system, '/data/tools/bwrap': exe(), '/srv/bin/bwrap': exe() }, { '/usr/local/bin': '/srv/bin' });
    const writable = (p: string) => p === '/data' || p.startsWith('/data/') || p === '/srv/bin' || p.startsWith('/srv/bin/');
    const s = searchBwrap(input(f, { pathEnv: '/data/tools:/usr/local/bin:/usr/bin', writable }));
    expect(s.found).toEqual({ path: '/usr/bin/bwrap', source: 'system' });
    expect(s.skipped).toEqual([
      { path: '/data/tools/bwrap', reason: '/data/tools/bwrap is writable by sandboxed commands under this policy' },
      { path: '/usr/local/bin/bwrap', reason: '/srv/bin/bwrap is writable by sandboxed commands under this policy' },
    ]);
    // A writable folder above it is enough: the command could rename the folder and put its own in place.
    const above = (p: string) => p === '/opt';
    expect(searchBwrap(input(fakeFs({ '/opt/a/b/bwrap': exe() }), { pathEnv: '/opt/a/b', writable: above })).skipped[0]?.reason).toBe('/opt is writable by sandboxed commands under this policy');
  });

  it('not from the cwd (a repository could plant one), also through a symlink into it', () => {
    const f = fakeFs({ ...system, '/home/u/repo/bin/bwrap': exe({ uid: ME }), '/home/u/repo/evil/bwrap': exe({ uid: ME }) }, { '/x/bwrap': '/home/u/repo/evil/bwrap' });
    const s = searchBwrap(input(f, { pathEnv: '/home/u/repo/bin:/x:/usr/bin', writable: () => false }));
    expect(s.found?.path).toBe('/usr/bin/bwrap');
    expect(s.skipped.map((x) => x.reason)).toEqual(['it lies inside the working directory /home/u/repo', 'it lies inside the working directory /home/u/repo']);
  });

  it('not from $TMPDIR, /tmp, /var/tmp or /dev/shm, whatever the policy says', () => {
    for (const t of ['/tmp/t', '/var/tmp/t', '/dev/shm/t', '/run/user/1000/tmp']) {
      const f = fakeFs({ ...system, [`${t}/bwrap`]: exe({ uid: ME }) });
      const s = searchBwrap(input(f, { pathEnv: `${t}:/usr/bin`, writable: () => false, tempDirs: ['/run/user/1000/tmp', '/tmp', '/var/tmp', '/dev/shm'] }));
      expect(s.found?.path).toBe('/usr/bin/bwrap');
      expect(s.skipped[0]?.reason).toMatch(/^it lies inside the temporary folder /);
    }
  });

  it('not from a relative PATH entry (empty, `.`, `bin`)', () => {
    const f = fakeFs({ ...system, '/home/u/repo/bwrap': exe({ uid: ME }), '/elsewhere/bwrap': exe(), '/elsewhere/bin/bwrap': exe() });
    for (const [cwd, entry] of [['/home/u/repo', ''], ['/elsewhere', '.'], ['/elsewhere', 'bin']] as const) {
      const s = searchBwrap(input(f, { cwd, pathEnv: `${entry}:/usr/bin` }));
      expect(s.found?.path).toBe('/usr/bin/bwrap');
      expect(s.skipped[0]?.reason).toBe(`it comes from the relative PATH entry '${entry}'`);
    }
  });

  it('not a file or folder that is group/world-writable or owned by another user', () => {
    const cases: [Record<string, FileFacts>, string][] = [
      [{ '/opt/b/bwrap': exe({ mode: 0o100777 }) }, '/opt/b/bwrap is writable by everyone'],
      [{ '/opt/b/bwrap': exe({ mode: 0o100775 }) }, '/opt/b/bwrap is writable by its group'],
      [{ '/opt/b/bwrap': exe(), '/opt/b': dir({ mode: 0o40777 }) }, '/opt/b is writable by everyone'],
      [{ '/opt/b/bwrap': exe({ uid: 1001 }), '/opt/b': dir({ mode: 0o41777 }) }, '/opt/b/bwrap belongs to uid 1001, not root (a command of an earlier run could have made it)'],
      [{ '/opt/b/bwrap': exe(), '/opt': dir({ mode: 0o40775 }) }, '/opt is writable by its group'],
      [{ '/opt/b/bwrap': exe({ uid: 1001 }) }, '/opt/b/bwrap belongs to uid 1001, not root (a command of an earlier run could have made it)'],
      [{ '/opt/b/bwrap': exe(), '/opt/b': dir({ uid: 1001 }) }, '/opt/b belongs to uid 1001, not root (a command of an earlier run could have made it)'],
      // Even a sticky folder: the PATH rule has no exception for it.
      [{ '/opt/b/bwrap': exe(), '/opt/b': dir({ mode: 0o41777 }) }, '/opt/b is writable by everyone'],
      // Ours: a command of an earlier run, with other writable roots, runs as us and could have made it.
      [{ '/opt/b/bwrap': exe({ uid: ME }), '/opt/b': dir({ uid: ME }) }, '/opt/b/bwrap belongs to uid 1000, not root (a command of an earlier run could have made it)'],
    ];
    for (const [files, reason] of cases) {
      const s = searchBwrap(input(fakeFs({ ...system, ...files }), { pathEnv: '/opt/b:/usr/bin' }));
      expect(s.found?.path).toBe('/usr/bin/bwrap');
      expect(s.skipped).toEqual([{ path: '/opt/b/bwrap', reason }]);
    }
    // Root's alone, anywhere, while we are not root.
    expect(findBwrap(input(fakeFs({ ...system, '/opt/b/bwrap': exe() }), { pathEnv: '/opt/b:/usr/bin' }))?.path).toBe('/opt/b/bwrap');
  });

  it('a bwrap an earlier run planted outside this run’s writable roots is not used', () => {
    // Run 1 (workspace-write in ~/proj) could write ~/proj/bin/bwrap; run 2 works in another repo,
    // read-only, with ~/proj/bin on PATH. Nothing of run 2's policy covers it: ownership decides.
    const planted = fakeFs({ ...system, '/home/u/proj/bin/bwrap': exe({ uid: ME }), '/home/u': dir({ uid: ME }), '/home/u/proj': dir({ uid: ME }), '/home/u/proj/bin': dir({ uid: ME }) });
    const s = searchBwrap(input(planted, { pathEnv: '/home/u/proj/bin:/usr/bin', cwd: '/home/u/other', writable: () => false }));
    expect(s.found?.path).toBe('/usr/bin/bwrap');
    expect(s.skipped[0]?.reason).toMatch(/belongs to uid 1000, not root/);
    // As root, sandboxed commands are root too: only system folders are trusted.
    const asRoot = fakeFs({ ...system, '/root/proj/bin/bwrap': exe(), '/usr/local/bin/bwrap': exe() });
    const r = searchBwrap(input(asRoot, { uid: 0, pathEnv: '/root/proj/bin:/usr/local/bin:/usr/bin', cwd: '/srv', writable: () => false }));
    expect(r.found?.path).toBe('/usr/local/bin/bwrap');
    expect(r.skipped).toEqual([{ path: '/root/proj/bin/bwrap', reason: expect.stringMatching(/^codex runs as root, so only a bwrap under \/usr, \/bin, /) }]);
    for (const ok of ['/nix/store/abc-bubblewrap/bin/bwrap', '/snap/bin/bwrap', '/bin/bwrap', '/sbin/bwrap']) {
      expect(findBwrap(input(fakeFs({ [ok]: exe() }), { uid: 0, pathEnv: path.dirname(ok), writable: () => false }))?.path).toBe(ok);
    }
    // A prefix that only looks like one (`/usrx`) does not count.
    expect(findBwrap(input(fakeFs({ '/usrx/bwrap': exe() }), { uid: 0, pathEnv: '/usrx', writable: () => false }))).toBeUndefined();
  });

  it('CODEX_TS_BWRAP: the named bwrap or none, under the ownership rule and the policy, cwd and temp rules', () => {
    const f = fakeFs({ ...system, '/home/u/bw/bwrap': exe({ uid: ME }), '/home/u': dir({ uid: ME }), '/home/u/bw': dir({ uid: ME }) });
    // Ours, named: used (naming it vouches for how it got there), and nothing else is looked at.
    expect(searchBwrap(input(f, { explicit: '/home/u/bw/bwrap' }))).toEqual({ found: { path: '/home/u/bw/bwrap', source: 'configured' }, skipped: [] });
    // Named but unusable: refused with the reason, never a silent substitute from PATH.
    const cases: [string, Partial<BwrapSearchInput>, RegExp][] = [
      ['bw/bwrap', {}, /must be an absolute path/],
      ['/nope/bwrap', {}, /names no executable file/],
      ['/home/u/repo/bwrap', {}, /writable by sandboxed commands/],
      ['/home/u/bw/bwrap', { writable: () => false, cwd: '/home/u/bw' }, /inside the working directory/],
      ['/tmp/bwrap', { writable: () => false }, /inside the temporary folder/],
      ['/opt/x/bwrap', { writable: () => false }, /belongs to uid 1001, neither root nor us/],
    ];
    const g = fakeFs({ ...system, '/home/u/bw/bwrap': exe({ uid: ME }), '/home/u/repo/bwrap': exe({ uid: ME }), '/tmp/bwrap': exe(), '/opt/x/bwrap': exe({ uid: 1001 }) });
    for (const [named, over, why] of cases) {
      const s = searchBwrap(input(g, { ...over, explicit: named }));
      expect(s.found, named).toBeUndefined();
      expect(s.skipped[0]?.reason, named).toMatch(why);
    }
  });

  it('non-executables, folders and missing entries are passed over silently', () => {
    const f = fakeFs({ ...system, '/a/bwrap': exe({ executable: false }), '/b/bwrap': dir() });
    expect(searchBwrap(input(f, { pathEnv: '/a:/b:/nope:/usr/bin' }))).toEqual({ found: { path: '/usr/bin/bwrap', source: 'system' }, skipped: [] });
  });

  it('the bundled codex-resources/bwrap beside the real executable obeys the same rule', () => {
    const f = fakeFs({ '/opt/codex/codex': exe(), '/opt/codex/codex-resources/bwrap': exe() }, { '/usr/local/bin/codex': '/opt/codex/codex' });
    expect(findBwrap(input(f, { execPath: '/usr/local/bin/codex', pathEnv: '/usr/bin' }))).toEqual({ path: '/opt/codex/codex-resources/bwrap', source: 'bundled' });
    expect(findBwrap(input(fakeFs({}), { pathEnv: '/usr/bin' }))).toBeUndefined();
    // The executable inside a writable root or under /tmp (a clone there): still used, because its folder
    // is bound read-only inside every sandbox (so no sandboxed command can have replaced it); only
    // ownership decides.
    const inRepo = fakeFs({ '/home/u/repo/dist/codex': exe({ uid: ME }), '/home/u/repo/dist/codex-resources/bwrap': exe({ uid: ME }), '/home/u': dir({ uid: ME }) });
    const s = searchBwrap(input(inRepo, { execPath: '/home/u/repo/dist/codex', pathEnv: '/usr/bin', cwd: '/home/u/repo', writable: (p) => p.startsWith('/home/u/repo') }));
    expect(s.found).toEqual({ path: '/home/u/repo/dist/codex-resources/bwrap', source: 'bundled' });
    const inTmp = fakeFs({ '/tmp/c/codex': exe(), '/tmp/c/codex-resources/bwrap': exe(), '/tmp': dir({ mode: 0o41777 }) });
    expect(searchBwrap(input(inTmp, { execPath: '/tmp/c/codex', pathEnv: '' })).found?.source).toBe('bundled');
    // …but not one another user could swap.
    const foreign = fakeFs({ '/tmp/c/codex': exe(), '/tmp/c/codex-resources/bwrap': exe({ uid: 1001 }), '/tmp': dir({ mode: 0o41777 }) });
    const f2 = searchBwrap(input(foreign, { execPath: '/tmp/c/codex', pathEnv: '' }));
    expect(f2.found).toBeUndefined();
    expect(noBwrapReason(f2)).toBe(
      'no bubblewrap that sandboxed commands cannot have replaced: not running /tmp/c/codex-resources/bwrap (the codex executable lives where commands could replace it: /tmp/c/codex-resources/bwrap belongs to uid 1001, neither root nor us)',
    );
    expect(noBwrapReason({ skipped: [] })).toBe('no bubblewrap found');
  });

  it('`/` as the cwd does not exclude every bwrap (a read-only run from /)', () => {
    expect(findBwrap(input(fakeFs(system), { cwd: '/', writable: () => false }))?.path).toBe('/usr/bin/bwrap');
    // …but workspace-write from / makes everything writable: nothing is safe to run.
    expect(findBwrap(input(fakeFs(system), { cwd: '/', writable: () => true }))).toBeUndefined();
  });
});

describe('bwrap discovery on this machine', () => {
  const system = (() => {
    for (const d of (process.env.PATH ?? '').split(':')) {
      try {
        if (path.isAbsolute(d) && fs.statSync(path.join(d, 'bwrap')).isFile()) return fs.realpathSync(path.join(d, 'bwrap'));
      } catch {
        /* next */
      }
    }
    return undefined;
  })();

  it.skipIf(!system)('a planted bwrap in a writable root or /tmp on PATH is skipped for the system one', () => {
    const ws = tempDir('codex-ts-disc-ws-');
    const planted = path.join(ws, 'bin');
    fs.mkdirSync(planted);
    fs.writeFileSync(path.join(planted, 'bwrap'), '#!/bin/sh\necho planted\n', { mode: 0o755 });
    const other = tempDir('codex-ts-disc-other-');
    fs.writeFileSync(path.join(other, 'bwrap'), '#!/bin/sh\necho planted\n', { mode: 0o755 });
    const policy = resolvePolicy({ cwd: ws, cli: { sandboxMode: 'workspace-write' }, env: process.env });
    const env = { ...process.env, PATH: `${planted}:${other}:${process.env.PATH}` };
    const s = bwrapSearch(policy, env);
    expect(s.found?.path).toBe(system);
    expect(s.skipped.map((x) => x.path)).toEqual([path.join(planted, 'bwrap'), path.join(other, 'bwrap')]);
    expect(locateBwrap(policy, env)?.path).toBe(system);
  });

  it.skipIf(!system)('a planted bwrap is never run: not by a sandboxed command, not by its probes, not by --explain', () => {
    const ws = tempDir('codex-ts-disc-ws-');
    const marker = path.join(tempDir('codex-ts-disc-marker-'), 'ran');
    const evil = `#!/bin/sh\necho "$*" >> ${marker}\nexec ${system} "$@"\n`;
    // One in the workspace (a writable root), one in /tmp (writable by any command).
    fs.mkdirSync(path.join(ws, 'bin'));
    fs.writeFileSync(path.join(ws, 'bin', 'bwrap'), evil, { mode: 0o755 });
    const tmpBin = tempDir('codex-ts-disc-tmpbin-');
    fs.writeFileSync(path.join(tmpBin, 'bwrap'), evil, { mode: 0o755 });
    const cache = tempDir('codex-ts-disc-cache-');
    for (const pathEnv of [`${path.join(ws, 'bin')}:/usr/bin:/bin`, `${tmpBin}:/usr/bin:/bin`]) {
      const env = { ...process.env, PATH: pathEnv, CODEX_TS_CACHE_DIR: cache, CODEX_HOME: tempDir('codex-ts-disc-home-') };
      const ex = codex(['sandbox', '-s', 'workspace-write', '--route', 'bwrap', '--explain', '--', 'true'], { cwd: ws, env });
      expect(ex.status).toBe(0);
      expect(ex.stdout).toContain(`route: bwrap (${system}, system)`);
      for (const args of [['-s', 'workspace-write', '--', 'sh', '-c', 'echo ok > f'], ['-s', 'read-only', '--route', 'bwrap', '--', 'true']]) {
        const r = codex(['sandbox', ...args], { cwd: ws, env });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
      }
    }
    expect(fs.readFileSync(path.join(ws, 'f'), 'utf8')).toBe('ok\n');
    expect(fs.existsSync(marker)).toBe(false);
  });

  it.skipIf(!system)('a bwrap planted by an earlier run in its workspace is not run by a later run elsewhere', () => {
    const marker = path.join(tempDir('codex-ts-disc-marker-'), 'ran');
    // Outside every temp folder, so only the ownership/system-folder rule can refuse it.
    const earlier = scratchOutsideTmp('codex-ts-disc-earlier-');
    const later = scratchOutsideTmp('codex-ts-disc-later-');
    const env0 = { ...process.env, CODEX_TS_CACHE_DIR: tempDir('codex-ts-disc-cache-'), CODEX_HOME: tempDir('codex-ts-disc-home-') };
    // Run 1: a hostile command with workspace-write plants bin/bwrap in its workspace.
    const plant = `mkdir -p bin && printf '#!/bin/sh\\necho "$*" >> ${marker}\\nexec ${system} "$@"\\n' > bin/bwrap && chmod 755 bin/bwrap`;
    const r1 = codex(['sandbox', '-s', 'workspace-write', '--', 'sh', '-c', plant], { cwd: earlier, env: env0 });
    expect(r1.stderr).toBe('');
    expect(fs.statSync(path.join(earlier, 'bin', 'bwrap')).mode & 0o111).not.toBe(0);
    // Run 2: elsewhere, read-only, with that bin/ first on PATH.
    const env = { ...env0, PATH: `${path.join(earlier, 'bin')}:/usr/bin:/bin` };
    const ex = codex(['sandbox', '-s', 'read-only', '--route', 'bwrap', '--explain', '--', 'true'], { cwd: later, env });
    expect(ex.stdout).toContain(`route: bwrap (${system}, system)`);
    const r2 = codex(['sandbox', '-s', 'read-only', '--route', 'bwrap', '--', 'true'], { cwd: later, env });
    expect(r2.stderr).toBe('');
    expect(r2.status).toBe(0);
    expect(fs.existsSync(marker)).toBe(false);
  });
});
