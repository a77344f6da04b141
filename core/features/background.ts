// Start-up hook: when `local_thread_store_compression` is on, run one compression pass in a
// detached child (`codex sessions compress --background`), so the user's command is never delayed
// or failed by it and the pass can finish after the command exits. Throttled by the run log's age.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSea } from '../../native/index.js';
import { COMPRESSION_FEATURE } from './registry.js';
import type { FeatureSet } from './resolve.js';

/**
 * What the hook reads of the loaded config (core/config's CodexConfig fits it). Declared here rather
 * than imported so that features/ does not depend on config/, which depends on features/.
 */
export interface BackgroundConfig {
  codexHome: string;
  features: Pick<FeatureSet, 'isEnabled'>;
  compression: { minAgeMs: number; timeCapMs: number };
}

/** Do not spawn again when the last background pass started less than this long ago. */
export const BACKGROUND_INTERVAL_MS = 10 * 60_000;

export type BackgroundStart = { started: true; pid: number | undefined } | { started: false; why: 'disabled' | 'recent_run' | 'spawn_failed' };

/**
 * Never throws and never waits. `argvPrefix` is how to re-run this program (default: this
 * executable, plus the script path when running under plain node).
 */
export function startBackgroundCompression(config: BackgroundConfig, opts: { argvPrefix?: string[]; force?: boolean } = {}): BackgroundStart {
  try {
    if (!config.features.isEnabled(COMPRESSION_FEATURE)) return { started: false, why: 'disabled' };
    const stamp = path.join(config.codexHome, '.tmp', 'rollout-compression.last-start');
    if (!opts.force) {
      try {
        if (Date.now() - fs.statSync(stamp).mtimeMs < BACKGROUND_INTERVAL_MS) return { started: false, why: 'recent_run' };
      } catch {
        /* never ran */
      }
    }
    fs.mkdirSync(path.dirname(stamp), { recursive: true });
    fs.writeFileSync(stamp, `${process.pid}\n`);
    const prefix = opts.argvPrefix ?? (isSea() || !process.argv[1] ? [process.execPath] : [process.execPath, process.argv[1]]);
    const s = config.compression;
    const args = [
      ...prefix.slice(1),
      'sessions',
      'compress',
      '--background',
      '--min-age',
      `${Math.floor(s.minAgeMs / 1000)}s`,
      '--time-cap',
      `${Math.max(1, Math.floor(s.timeCapMs / 1000))}s`,
    ];
    const child = process.getBuiltinModule('node:child_process').spawn(prefix[0]!, args, {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, CODEX_HOME: config.codexHome },
    });
    child.on('error', () => {
      /* best effort: logged nowhere, retried at the next start */
    });
    child.unref();
    return { started: true, pid: child.pid };
  } catch {
    return { started: false, why: 'spawn_failed' };
  }
}
