// How a command runs under Seatbelt: `/usr/bin/sandbox-exec -p PROFILE -DNAME=path… -- command…`.
// Only /usr/bin/sandbox-exec is used (never one found on PATH, which a repo could plant).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nativeCacheRoot } from '../../native/index.js';
import type { EffectivePolicy } from '../types.js';
import { seatbeltProfile, type SeatbeltOptions } from './profile.js';

export const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

/**
 * argv for running `command` under the profile.
 *
 * @example
 *   seatbeltArgv(policy, ['ls', '-l']); // ['/usr/bin/sandbox-exec', '-p', profile, '-DNAME=path', …, '--', 'ls', '-l']
 */
export function seatbeltArgv(policy: EffectivePolicy, command: readonly string[], opts: SeatbeltOptions = {}): string[] {
  const { profile, params } = seatbeltProfile(policy, opts);
  const argv = [SANDBOX_EXEC, '-p', profile];
  for (const [k, v] of params) argv.push(`-D${k}=${v}`);
  argv.push('--', ...command);
  return argv;
}

/**
 * The options a real run on this machine uses: the per-user cache folder, our own executable kept
 * runnable, and it and the native addon cache kept read-only (we load them later, outside the sandbox).
 *
 * @example
 *   seatbeltProfile(policy, hostSeatbeltOptions(process.env));
 */
export function hostSeatbeltOptions(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): SeatbeltOptions {
  const cache = darwinUserCacheDir(env, platform);
  let exe = process.execPath;
  try {
    exe = fs.realpathSync(exe);
  } catch {
    // keep the path as given
  }
  return { ...(cache ? { userCacheDir: cache } : {}), protectedPaths: [exe, path.join(nativeCacheRoot(env), 'native')], readablePaths: [exe] };
}

const cacheDirMemo = new Map<string, string | undefined>();

/**
 * The per-user cache folder. `$TMPDIR` on macOS is `/var/folders/xx/yyyy/T/`; its sibling `C/` is the
 * cache folder. On macOS itself `getconf DARWIN_USER_CACHE_DIR` is asked first.
 *
 * @example
 *   darwinUserCacheDir({ DARWIN_USER_CACHE_DIR: '/var/folders/x/C/' }, 'darwin'); // '/var/folders/x/C'
 */
export function darwinUserCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform === 'darwin') {
    if (!cacheDirMemo.has('getconf')) {
      let dir: string | undefined;
      try {
        const out = process.getBuiltinModule('node:child_process').execFileSync('/usr/bin/getconf', ['DARWIN_USER_CACHE_DIR'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
        if (out.startsWith('/')) dir = out.replace(/\/+$/, '');
      } catch {
        // fall back to $TMPDIR below
      }
      cacheDirMemo.set('getconf', dir);
    }
    const got = cacheDirMemo.get('getconf');
    if (got) return got;
  }
  const m = /^((?:\/private)?\/var\/folders\/[^/]+\/[^/]+)\/T\/?$/.exec(env.TMPDIR ?? '');
  return m ? `${m[1]}/C` : undefined;
}
